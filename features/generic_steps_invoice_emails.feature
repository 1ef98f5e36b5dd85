@product.saas
Feature: A billing contact chooses whether invoices come by email
  Written only with the suite's generic steps (browser and database), with no Python of its
  own.

  The billing settings offer "Email me each invoice", ticked for every organisation until
  someone who manages its billing unticks it and saves. Billing keeps the choice for the
  organisation (an InvoicePreferences row; none means yes), and the page shows it as it was
  saved. Fiona, Fabrikam's administrator, manages Fabrikam's billing; Mo is on Fabrikam's team
  but does not. Northwind, another organisation, chose not to receive invoices by email, and
  nothing Fabrikam does changes that.

  Rule: A billing contact decides whether invoices are emailed

    Background:
      Given I open the sign-in page
      And I fill in "Email" with "owner@fabrikam.example.com" within "Log in"
      And I fill in "Password" with "SecurePassword123!" within "Log in"
      And I press "Log in" within "Log in"
      Then I am on the dashboard page

    @critical
    Scenario: Invoices are emailed until someone chooses otherwise
      When I open the billing settings page
      Then I see "Each invoice is sent by email." within "Invoices"
      And the billing database has no rows in "InvoicePreferences" where TenantID is "tenant-fabrikam-001"
      # Saving the box as it is shown keeps what it shows: ticked.
      When I press "Save invoice preference" within "Invoices"
      Then I see "Your invoice preference was saved." within "Invoices"
      And the billing database has 1 row in "InvoicePreferences" where TenantID is "tenant-fabrikam-001" and EmailInvoices is "true"

    @critical
    Scenario: Fiona stops invoice emails, and they stay stopped when she comes back
      When I open the billing settings page
      And I untick "Email me each invoice" within "Invoices"
      And I press "Save invoice preference" within "Invoices"
      Then I see "Your invoice preference was saved." within "Invoices"
      And the billing database has 1 row in "InvoicePreferences" where TenantID is "tenant-fabrikam-001" and EmailInvoices is "false" and UpdatedBy is "user-fabrikam-owner"
      When I open the billing settings page
      Then I see "Invoices are not sent by email." within "Invoices"
      And I do not see "Your invoice preference was saved."
      # The box is shown unticked: saving it untouched stores no again.
      When I press "Save invoice preference" within "Invoices"
      Then the billing database has 1 row in "InvoicePreferences" where TenantID is "tenant-fabrikam-001" and EmailInvoices is "false"

    Scenario: Fiona turns invoice emails back on
      Given I open the billing settings page
      And I untick "Email me each invoice"
      And I press "Save invoice preference" within "Invoices"
      When I tick "Email me each invoice"
      And I press "Save invoice preference" within "Invoices"
      Then the billing database has 1 row in "InvoicePreferences" where TenantID is "tenant-fabrikam-001" and EmailInvoices is "true"
      And I see "Each invoice is sent by email." within "Invoices"

    Scenario: Another organisation's choice stays as it was
      When I open the billing settings page
      Then the billing database has 1 row in "InvoicePreferences" where TenantID is "tenant-northwind-001" and EmailInvoices is "false"
      When I untick "Email me each invoice" within "Invoices"
      And I press "Save invoice preference" within "Invoices"
      And I tick "Email me each invoice" within "Invoices"
      And I press "Save invoice preference" within "Invoices"
      Then the billing database has 1 row in "InvoicePreferences" where TenantID is "tenant-northwind-001" and EmailInvoices is "false" and UpdatedBy is "user-northwind-owner"
      And the billing database has 2 rows in "InvoicePreferences"

  Rule: Only someone who manages the organisation's billing changes the choice

    Scenario: A team member sees the choice but cannot change it
      Given I open the sign-in page
      And I fill in "Email" with "member@fabrikam.example.com" within "Log in"
      And I fill in "Password" with "SecurePassword123!" within "Log in"
      And I press "Log in" within "Log in"
      Then I am on the dashboard page
      When I open the billing settings page
      Then I see "Each invoice is sent by email." within "Invoices"
      And I see "Ask an administrator to change whether invoices are emailed." within "Invoices"
      And I do not see "Email me each invoice"
      And I do not see "Save invoice preference"
      And the billing database has no rows in "InvoicePreferences" where TenantID is "tenant-fabrikam-001"
