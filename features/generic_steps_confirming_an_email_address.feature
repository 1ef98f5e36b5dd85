@product.saas
Feature: A new organisation's admin confirms their email address once
  Written only with the suite's generic steps (browser, mail and database), with no Python of
  its own.

  Sign-up takes only details the platform can use, and keeps what was typed on the form when
  it refuses them. The emailed link confirms the admin's address once: a second use of the same
  link is refused.

  Rule: A refused sign-up keeps what was typed and stores nothing

    @normal
    Scenario: A domain without a dot is refused, and the form still shows what was typed
      Given I open the sign-up page
      When I fill in "Company name" with "Tailspin Toys" within "Start your free trial"
      And I fill in "Domain" with "tailspin" within "Start your free trial"
      And I fill in "Admin email" with "pilot@tailspin.example.com" within "Start your free trial"
      And I choose "Enterprise" in "Plan" within "Start your free trial"
      And I press "Start free trial" within "Start your free trial"
      Then I see "Enter a valid domain name"
      And the page title is "Start your free trial · SaaS Platform"
      And the "Company name" field shows "Tailspin Toys"
      And the "Plan" field shows "Enterprise" within "Start your free trial"
      When I remember the "Admin email" field as {admin}
      And I remember the "Domain" field within "Start your free trial" as {domain}
      Then the users database has no rows in "Tenants" where Domain is "{domain}"
      When the users database is changed by:
        """
        DELETE FROM Users WHERE Email = @admin
        """
      Then no rows were changed

  Rule: The emailed link confirms the address once

    @critical
    Scenario: The second use of the emailed link is refused
      Given I open the sign-up page
      When I fill in "Company name" with "Tailspin Toys"
      And I fill in "Domain" with "tailspin.example.com"
      And I fill in "Admin email" with "pilot@tailspin.example.com"
      And I choose "Basic" in "Plan"
      And I press "Start free trial"
      Then an email to "pilot@tailspin.example.com" arrives with the subject "Verify your email"
      When I remember the link "/verify" in the email as {confirmation_link}
      And I open "{confirmation_link}"
      And I press "Confirm my email address"
      Then I see "Your email address is verified."
      When the users database is asked:
        """
        SELECT UserID FROM Users WHERE Email = 'pilot@tailspin.example.com' AND Status = 'active'
        """
      And I remember the answer's "UserID" as {user}
      When I open "{confirmation_link}"
      And I press "Confirm my email address"
      Then I see "This verification link has already been used."
      And I do not see "Your email address is verified."
      And the users database has 1 row in "UserSessions" where UserID is "{user}"
