@product.saas
Feature: An organisation's settings show what the platform holds for it
  Written only with the suite's generic steps (browser and database), with no Python of its
  own.

  The settings show the signed-in person's own organisation; its billing settings show the
  plan, the next billing date and the card on file as billing holds them. Nobody sees them
  without signing in.

  Rule: The settings show the organisation and the billing that the platform holds for it

    @critical
    Scenario: Fiona reads Fabrikam's settings and billing settings
      When I open the sign-in page
      And I fill in "Email" with "owner@fabrikam.example.com" within "Log in"
      And I fill in "Password" with "SecurePassword123!" within "Log in"
      And I press "Log in" within "Log in"
      Then I am on the dashboard page
      When I open "/settings"
      And I remember the text after "Organisation" as {organisation}
      Then the users database has 1 row in "Tenants" where Name is "{organisation}" and Domain is "fabrikam.example.com"
      And I see "Billing" within "Settings"
      When I follow the link "Billing" within "Settings"
      Then I am on the billing settings page
      And I am on "/settings/billing"
      And the page title is "Billing · SaaS Platform"
      When I remember "NextBillingDate" of the billing database's "Subscriptions" row where TenantID is "tenant-fabrikam-001" and Status is "active" as {next_billing}
      Then I see "Next billing date: {next_billing}"
      And I see "Professional" within "Billing"
      When I remember the text after "Current plan" within "Billing" as {plan}
      Then the billing database has 1 row in "Plans" where DisplayName is "{plan}" and PlanID is "professional"
      And I see "Card on file: visa ending 4242"
      And I do not see "No active subscription."
      And the billing database has 1 row in "PaymentMethods" where TenantID is "tenant-fabrikam-001" and Brand is "visa" and Last4 is "4242"

  Rule: Nobody sees an organisation's settings without signing in

    @critical
    Scenario: Someone who is not signed in is sent to sign in
      Given I open the billing settings page
      Then I am on the sign-in page
      And I do not see "Next billing date"
      And I do not see "Card on file" within "Log in"
