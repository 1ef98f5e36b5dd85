@product.saas
@allure.label.epic:SaaS_platform
Feature: Changing plans
  A tenant's administrator moves the company up to a bigger plan from the billing settings.
  The company pays the price difference for the days left in its billing cycle, whether the
  cycle is a month, a quarter or a year. Billing decides which plan a tenant is on.

  Background:
    Given the platform sells these plans, each billed over its cycle:
      | plan                   | price   | currency | billed    | size |
      | Basic                  | 49.00   | USD      | monthly   | 1    |
      | Basic Quarterly        | 139.00  | USD      | quarterly | 1    |
      | Basic Yearly           | 499.00  | USD      | yearly    | 1    |
      | Professional           | 149.00  | USD      | monthly   | 2    |
      | Professional Quarterly | 429.00  | USD      | quarterly | 2    |
      | Professional Yearly    | 1499.00 | USD      | yearly    | 2    |
      | Enterprise             | 499.00  | USD      | monthly   | 3    |

  @normal @allure.label.story:Upgrade
  Scenario: Only bigger plans are offered as upgrades
    When "admin@basic-tenant.example.com" signs in
    And they open the billing settings
    And they ask to upgrade
    Then the plans offered are Professional, Professional Quarterly, Professional Yearly and Enterprise
    When they go straight to the upgrade to Basic Quarterly
    Then the upgrade is refused with "Basic Quarterly is not an upgrade from Basic"

  @critical @allure.label.story:Upgrade
  Scenario: Only a tenant's administrators may change the plan
    When "member@basic-tenant.example.com" signs in
    And they open the billing settings
    Then they are told that only administrators can change the plan
    When they go straight to the upgrade to Professional
    Then the upgrade is refused with "Only administrators can change the plan."
    And "basic-tenant.example.com" is still on the Basic plan

  @critical @allure.label.story:Upgrade
  Scenario Outline: An upgrade costs the price difference for the days left in the billing cycle
    Given "<tenant>" is on the <plan> plan, renewing in <days> days
    And the card on file of "<tenant>" expires <card expires>
    When "admin@<tenant>" signs in
    And they open the billing settings
    And they choose to upgrade to <new plan>
    Then the upgrade summary shows the price difference for the days left in the billing cycle
    When they confirm the upgrade
    Then "<tenant>" has one active subscription, on <new plan> at its <cycle> price, and its <plan> subscription is kept as history
    And "<tenant>" has one paid invoice from the last hour for the prorated amount

    Examples:
      | tenant                   | plan            | days | new plan               | cycle     | card expires                                  |
      | quarterly.example.com    | Basic Quarterly | 50   | Professional Quarterly | quarterly | in two years                                  |
      | yearly.example.com       | Basic Yearly    | 200  | Professional Yearly    | yearly    | at the end of this month                      |
      | basic-tenant.example.com | Basic           | 0    | Professional           | monthly   | in two years                                  |

  @normal @allure.label.story:Upgrade
  Scenario: Billing decides which plan a tenant is on
    Given the tenant record of "pro-tenant.example.com" says Basic while billing charges it for Professional
    When "admin@pro-tenant.example.com" signs in
    And they open the billing settings
    Then the current plan is "Professional"
    And "pro-tenant.example.com" is on the Professional plan in the tenant record too

  @normal @allure.label.story:Upgrade
  Scenario: A tenant without an active subscription has nothing to upgrade
    When "admin@lapsed.example.com" signs in
    And they open the billing settings
    Then no upgrade is offered
    When they go straight to the upgrade to Professional
    Then the upgrade is refused with "There is no active subscription to upgrade."
