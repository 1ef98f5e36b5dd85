@product.saas
Feature: Tenant lifecycle
  Companies sign up for the platform and pay for it, move up to bigger plans, are billed
  for what they use, and can be suspended when they stop paying, without losing their data.
  This is the overview journey; the rules of each stage are told at every place they live in
  signing_up_and_in, paying_by_card, changing_plans, usage_reporting and operating_tenants.

  Background:
    Given the platform sells these plans:
      | plan         | monthly price | currency |
      | Basic        | 49.00         | USD      |
      | Professional | 149.00        | USD      |
      | Enterprise   | 499.00        | USD      |

  Rule: A company that signs up, confirms its email and pays by card becomes an active tenant on its plan, billed monthly

    @critical
    Scenario: A company signing up is asked to confirm its email address
      When "Acme Corp" signs up with the domain "acme-corp.example.com", admin "admin@acme-corp.example.com" and the Enterprise plan
      Then they are asked to verify their email address
      And "acme-corp.example.com" is a tenant named "Acme Corp" waiting for its admin "admin@acme-corp.example.com" to confirm their email

    @critical
    Scenario: Confirming from the emailed link activates the admin's account
      Given "Acme Corp" has signed up with the domain "acme-corp.example.com", admin "admin@acme-corp.example.com" and the Enterprise plan
      When the admin confirms their email address from the link emailed to "admin@acme-corp.example.com"
      Then the email address is confirmed
      And the account of "admin@acme-corp.example.com" is active

    @critical
    Scenario: Paying by card completes onboarding: an active tenant on its plan, with its first subscription
      Given "Acme Corp" has signed up with the domain "acme-corp.example.com", admin "admin@acme-corp.example.com" and the Enterprise plan
      And the admin has confirmed "admin@acme-corp.example.com" and completed the setup wizard:
        | company size | industry   | first name | last name | password           |
        | 100-500      | technology | John       | Admin     | SecurePassword123! |
      When the admin pays by card "4242 4242 4242 4242" with a future expiry date, CVC "123", billed to "123 Enterprise St"
      Then onboarding is complete and the dashboard is shown
      And "acme-corp.example.com" is one active tenant named "Acme Corp" on the Enterprise plan, with the admin "admin@acme-corp.example.com"
      And "acme-corp.example.com" has exactly one subscription: Enterprise, active, at the plan's monthly price, renewing one calendar month from today
      And today's recorded usage of "acme-corp.example.com" is:
        | metric       | total |
        | active_users | 1     |

    @normal
    Scenario Outline: A card the payment gateway refuses leaves no subscription
      Given "Globex" has signed up as "globex.example.com" with admin "admin@globex.example.com" and set up its account
      When the admin pays by card "<card>" with a future expiry date, CVC "123", billed to "1 Main St"
      Then the payment is refused with "<reason>"
      And "globex.example.com" has no subscription

      Examples:
        | card                | reason                  |
        | 4000 0000 0000 0002 | Your card was declined. |
        | 4242 4242 4242 4241 | card number             |

  Rule: A tenant moves up to a bigger plan by paying the price difference for the days left in its billing cycle

    Background:
      Given "basic-tenant.example.com" is on the Basic plan, renewing in 20 days
      And "admin@basic-tenant.example.com" has signed in

    @critical
    Scenario: The billing settings name the tenant's plan
      When they open the billing settings
      Then the current plan is "Basic"

    @critical
    Scenario: Choosing a bigger plan shows the price difference for the days left
      Given they have opened the billing settings
      When they choose to upgrade to Professional
      Then the upgrade summary shows the price difference for the days left in the billing cycle

    @critical
    Scenario: Confirming the upgrade moves the tenant to the bigger plan and charges the difference
      Given they have opened the billing settings
      And they have chosen to upgrade to Professional, and are shown what it costs
      When they confirm the upgrade
      Then "basic-tenant.example.com" has one active subscription, on Professional at its monthly price, and its Basic subscription is kept as history
      And "basic-tenant.example.com" has one paid invoice from the last hour for the prorated amount

  Rule: Usage reported through the API shows on the tenant's usage page and is kept in billing

    @critical
    Scenario: Usage reported through the API shows on the usage page and is kept in billing
      API calls add up over the day; storage is a level, so its latest reading counts; active
      users count at their peak. Readings may arrive out of order.

      Given usage of "enterprise-tenant.example.com" has been reported through the usage API:
        | metric       | amount | at    |
        | api_calls    | 1000   | 09:00 |
        | storage_gb   | 120    | 12:00 |
        | active_users | 45     | 11:00 |
        | api_calls    | 2500   | 14:00 |
        | storage_gb   | 150    | 10:00 |
        | active_users | 30     | 16:00 |
      When "billing@enterprise-tenant.com" opens the usage page
      Then the usage page shows 3,500 API calls today, 120 GB of storage and a peak of 45 active users
      And billing keeps each of today's readings of "enterprise-tenant.example.com":
        | metric       | amount | at    |
        | api_calls    | 1000   | 09:00 |
        | storage_gb   | 120    | 12:00 |
        | active_users | 45     | 11:00 |
        | api_calls    | 2500   | 14:00 |
        | storage_gb   | 150    | 10:00 |
        | active_users | 30     | 16:00 |

  Rule: A tenant that stopped paying is suspended: its people are locked out and its data is kept

    @critical
    Scenario: A tenant that stopped paying is suspended, locked out, and keeps its data
      Given "suspended-tenant.com" has users who are signed in
      And "enterprise-tenant.example.com" has users who are signed in
      When a platform administrator suspends "suspended-tenant.com" for "Payment overdue"
      Then "suspended-tenant.com" is suspended
      And the suspension of "suspended-tenant.com" records the reason "Payment overdue" and who suspended it
      And its user "user@suspended-tenant.com" cannot sign in and is told to contact support
      And "suspended-tenant.com" has no active sessions left
      And the subscription of "suspended-tenant.com" is suspended
      And everything else of "suspended-tenant.com" is kept as it was, in both databases
      And nothing of "enterprise-tenant.example.com" has changed
