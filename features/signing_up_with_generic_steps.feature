@product.saas
Feature: A company signs up and sets up its organisation
  Written only with the suite's generic steps (browser, mail and database): this feature has
  no Python of its own. Copy it to write the first feature of your own app.

  A company signs up with its name, its domain, its admin's email address and a plan. The
  admin confirms the address from the emailed link; the setup wizard then asks, in order,
  about the organisation, the admin's profile and the billing details, and ends on the
  dashboard. Only then is the organisation active and its plan paid for.

  Rule: A company that signs up and completes the setup wizard is active, with its admin and a subscription to the plan it chose

    @critical
    Scenario: Northwind Traders signs up for the Professional plan and lands on its dashboard
      Given I open the sign-up page
      When I fill in "Company name" with "Northwind Traders"
      And I fill in "Domain" with "northwind.example.com"
      And I fill in "Admin email" with "founder@northwind.example.com"
      And I choose "Professional" in "Plan"
      And I press "Start free trial"
      Then I see "We sent you an email with a verification link."
      And the users database has 1 row in "Tenants" where Domain is "northwind.example.com" and Status is "pending_verification"

      Then an email to "founder@northwind.example.com" arrives with the subject "Verify your email"
      And the email says "Confirm your email address to finish setting up your organisation"
      # a plain-text email's link is followed by its address or its path
      When I follow the link "/verify" in the email
      And I press "Confirm my email address"
      Then I see "Your email address is verified."

      When I follow the link "Continue setup"
      Then I am on the organisation page
      When I fill in "Company size" with "11-50"
      And I choose "Retail" in "Industry"
      And I press "Next"
      Then I am on the profile page
      When I fill in "First name" with "Nancy"
      And I fill in "Last name" with "Davolio"
      And I fill in "Password" with "Northwind-Traders-2026!"
      And I fill in "Confirm password" with "Northwind-Traders-2026!"
      And I press "Create account"
      Then I am on the billing page
      When I fill in "Card number" with "4242 4242 4242 4242"
      And I fill in "Expiry (MM/YY)" with "12/34"
      And I fill in "CVC" with "123"
      And I fill in "Billing address" with "12 Orchestra Terrace, Walla Walla, WA 99362"
      And I press "Save billing details"

      Then I am on the dashboard page
      And I see "Setup complete: welcome aboard!"
      And I see "Northwind Traders"
      And the users database table "Tenants" contains:
        | Name              | Domain                | Plan         | Status | CreatedAt               |
        | Northwind Traders | northwind.example.com | professional | active | within 5 minutes of now |
      And the users database table "Users" contains:
        | Email                         | Role  | Status |
        | founder@northwind.example.com | admin | active |
      And the users database has 1 row in "Users" where Email is "like '%@northwind.example.com'"
      When I remember "TenantID" of the users database's "Tenants" row where Domain is "northwind.example.com" as {tenant}
      Then the users database table "TenantProfiles" contains:
        | TenantID | CompanySize | Industry | OnboardingStep |
        | {tenant} | 11-50       | retail   | complete       |
      And the users database table "UserProfiles" contains:
        | TenantID | FirstName | LastName | DisplayName |
        | {tenant} | Nancy     | Davolio  | null        |
      And the users database has 1 row in "EmailVerifications" where TenantID is "{tenant}" and UsedAt is "not null"
      And the billing database table "Subscriptions" contains:
        | TenantID | Plan         | Status | BillingCycle | Amount | Currency |
        | {tenant} | professional | active | monthly      | 149.00 | USD      |
      And the billing database table "PaymentMethods" contains:
        | TenantID | Brand | Last4 | ExpiryMonth | ExpiryYear | BillingAddress                              |
        | {tenant} | visa  | 4242  | 12          | 2034       | 12 Orchestra Terrace, Walla Walla, WA 99362 |

  Rule: A domain belongs to one organisation: signing up with a domain already registered makes nothing

    @critical
    Scenario: A second sign-up with Contoso's domain is refused and makes no organisation
      Given I open the sign-up page
      When I fill in "Company name" with "Contoso Copycat"
      And I fill in "Domain" with "contoso.example.com"
      And I fill in "Admin email" with "someone@contoso.example.com"
      And I choose "Basic" in "Plan"
      And I press "Start free trial"
      Then I see "This domain is already registered."
      And the users database has 1 row in "Tenants" where Domain is "contoso.example.com"
      And the users database has no rows in "Users" where Email is "someone@contoso.example.com"
