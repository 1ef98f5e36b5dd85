@product.saas
Feature: Changing plans
  A tenant's administrator moves the company up to a bigger plan from the billing settings.
  Within its billing cycle, the company pays the price difference for the days left in the
  cycle, whether the cycle is a month, a quarter or a year. Moving to a plan billed over a
  longer cycle starts the new plan's full cycle today. Billing decides which plan a tenant is on.

  Proration over months of 28, 29, 30 and 31 days (which the calendar of the day of the run
  decides here) is told by tests/app/test_saas_proration.py: test_leap_year_february_cycle_has_29_days,
  test_month_end_cycle_from_february, test_half_of_a_30_day_cycle, test_rounds_half_up_to_cents
  (31 days), test_cycle_start_is_one_calendar_month_earlier; a browser cannot choose the day.
  A plan in another currency is never an upgrade, and no move to a shorter cycle is:
  tests/app/test_saas_plan_cycles.py (the price list here has one currency). An upgrade whose
  subscription another change replaced while its card was being charged is refunded and sent
  back for review: tests/app/test_saas_billing_routes.py (a race no browser can time).

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

  Rule: Only bigger plans, billed over a cycle at least as long, are offered or accepted as upgrades

    @normal
    Scenario Outline: A tenant on <plan> is offered <offered>
      Given billing charges "<tenant>" for the <plan> plan
      And "admin@<tenant>" has opened the billing settings
      When they ask to upgrade
      Then the plans offered are <offered>

      Examples:
        | tenant                   | plan            | offered                                                                 |
        | basic-tenant.example.com | Basic           | Professional, Professional Quarterly, Professional Yearly and Enterprise |
        | quarterly.example.com    | Basic Quarterly | Professional Quarterly and Professional Yearly                          |
        | yearly.example.com       | Basic Yearly    | Professional Yearly                                                     |
        | pro-tenant.example.com   | Professional    | Enterprise                                                              |

    @normal
    Scenario Outline: A tenant on <plan> who tries to <how> is refused
      Given billing charges "<tenant>" for the <plan> plan
      And "admin@<tenant>" has opened the billing settings
      When they <how>
      Then the upgrade is refused with "<message>"
      And "<tenant>" is still on the <plan> plan
      And "<tenant>" has been charged nothing

      Examples: The same size, or smaller
        | tenant                   | plan         | how                                                       | message                                          |
        | basic-tenant.example.com | Basic        | go straight to the upgrade to Basic Quarterly             | Basic Quarterly is not an upgrade from Basic     |
        | basic-tenant.example.com | Basic        | go straight to the upgrade to Basic                       | You are already on the Basic plan.               |
        | pro-tenant.example.com   | Professional | go straight to the upgrade to Basic Yearly                | Basic Yearly is not an upgrade from Professional |
        | basic-tenant.example.com | Basic        | confirm the upgrade to Basic Yearly without its summary   | Basic Yearly is not an upgrade from Basic        |

      Examples: A bigger plan billed more often
        | tenant                | plan            | how                                                               | message                              |
        | quarterly.example.com | Basic Quarterly | go straight to the upgrade to Professional                        | keeps or lengthens the billing cycle |
        | yearly.example.com    | Basic Yearly    | go straight to the upgrade to Enterprise                          | keeps or lengthens the billing cycle |
        | yearly.example.com    | Basic Yearly    | confirm the upgrade to Professional Quarterly without its summary | keeps or lengthens the billing cycle |

  Rule: Only a tenant's administrators may change the plan, wherever it is changed

    @critical
    Scenario Outline: A <role> is told that only administrators can change the plan
      Given "<email>" has signed in to the platform
      When they open the billing settings
      Then they are told that only administrators can change the plan

      Examples:
        | role         | email                            |
        | member       | member@basic-tenant.example.com  |
        | billing user | billing@basic-tenant.example.com |

    @critical
    Scenario Outline: A <role> who tries to <how> is refused
      Given "<email>" has opened the billing settings
      When they <how>
      Then the upgrade is refused with "Only administrators can change the plan."
      And "basic-tenant.example.com" is still on the Basic plan
      And "basic-tenant.example.com" has been charged nothing

      Examples:
        | role         | email                            | how                                                 |
        | member       | member@basic-tenant.example.com  | go straight to the list of upgrades                 |
        | member       | member@basic-tenant.example.com  | go straight to the upgrade to Professional          |
        | member       | member@basic-tenant.example.com  | confirm the upgrade to Professional without its summary |
        | billing user | billing@basic-tenant.example.com | go straight to the list of upgrades                 |
        | billing user | billing@basic-tenant.example.com | go straight to the upgrade to Professional Yearly   |
        | billing user | billing@basic-tenant.example.com | confirm the upgrade to Enterprise without its summary |

  Rule: Within its billing cycle, an upgrade costs the price difference for the days left in the cycle and renews on the same date

    @critical
    Scenario Outline: The upgrade from <plan> to <new plan>, renewing <renewal>, is quoted for the days left
      Given "<tenant>" is on the <plan> plan, renewing <renewal>
      And "admin@<tenant>" has opened the billing settings
      When they choose to upgrade to <new plan>
      Then the upgrade summary shows the price difference for the days left in the billing cycle

      Examples:
        | tenant                   | plan            | renewal             | new plan               |
        | basic-tenant.example.com | Basic           | in 12 days          | Professional           |
        | basic-tenant.example.com | Basic           | in 0 days           | Enterprise             |
        | basic-tenant.example.com | Basic           | a month from today  | Enterprise             |
        | quarterly.example.com    | Basic Quarterly | in 50 days          | Professional Quarterly |
        | quarterly.example.com    | Basic Quarterly | a quarter from today | Professional Quarterly |
        | yearly.example.com       | Basic Yearly    | in 200 days         | Professional Yearly    |
        | yearly.example.com       | Basic Yearly    | a year from today   | Professional Yearly    |
        | pro-tenant.example.com   | Professional    | in 20 days          | Enterprise             |

    @critical
    Scenario Outline: Confirming the upgrade from <plan> to <new plan> charges the days left
      Given "<tenant>" is on the <plan> plan, renewing in <days> days
      And the card on file of "<tenant>" expires <card expires>
      And "admin@<tenant>" has chosen to upgrade to <new plan>
      When they confirm the upgrade
      Then "<tenant>" has one active subscription, on <new plan> at its <cycle> price, and its <plan> subscription is kept as history
      And "<tenant>" has one paid invoice from the last hour for the prorated amount

      Examples:
        | tenant                   | plan            | days | new plan               | cycle     | card expires             |
        | quarterly.example.com    | Basic Quarterly | 50   | Professional Quarterly | quarterly | in two years             |
        | yearly.example.com       | Basic Yearly    | 200  | Professional Yearly    | yearly    | at the end of this month |
        | basic-tenant.example.com | Basic           | 0    | Professional           | monthly   | in two years             |

  Rule: An upgrade is charged only at the amount its summary showed

    @normal
    Scenario Outline: A confirmation for a cent <direction> than today's amount is sent back for review
      Given "basic-tenant.example.com" is on the Basic plan, renewing in 12 days
      And "admin@basic-tenant.example.com" has opened the billing settings
      When they send a confirmation of the upgrade to Professional for a cent <direction> than it costs
      Then they are asked to review the upgrade again: "The prorated amount has changed"
      And "basic-tenant.example.com" is still on the Basic plan
      And "basic-tenant.example.com" has been charged nothing

      Examples:
        | direction |
        | less      |
        | more      |

  Rule: An upgrade the card on file cannot pay changes nothing

    @critical
    Scenario: An upgrade charged to a card that expired last month is refused
      Given "basic-tenant.example.com" is on the Basic plan, renewing in 12 days
      And the card on file of "basic-tenant.example.com" expired at the end of last month
      And "admin@basic-tenant.example.com" has chosen to upgrade to Professional
      When they try to confirm the upgrade
      Then the card on file cannot pay the upgrade: "The card on file has expired"
      And "basic-tenant.example.com" is still on the Basic plan
      And "basic-tenant.example.com" has been charged nothing

  Rule: Moving to a plan billed over a longer cycle starts its full cycle today, at its price less the unused days of the old cycle

    @critical
    Scenario Outline: The move from <plan> to <new plan>, renewing <renewal>, is quoted as a new <cycle> cycle
      Given "<tenant>" is on the <plan> plan, renewing <renewal>
      And "admin@<tenant>" has opened the billing settings
      When they choose to upgrade to <new plan>
      Then the upgrade summary shows a new <cycle> cycle from today, at the full price less the unused days of the old cycle

      Examples:
        | tenant                   | plan            | renewal            | new plan               | cycle     |
        | basic-tenant.example.com | Basic           | in 12 days         | Professional Quarterly | quarterly |
        | basic-tenant.example.com | Basic           | in 12 days         | Professional Yearly    | yearly    |
        | basic-tenant.example.com | Basic           | in 0 days          | Professional Yearly    | yearly    |
        | basic-tenant.example.com | Basic           | a month from today | Professional Yearly    | yearly    |
        | quarterly.example.com    | Basic Quarterly | in 50 days         | Professional Yearly    | yearly    |
        | quarterly.example.com    | Basic Quarterly | a quarter from today | Professional Yearly  | yearly    |

    @critical
    Scenario Outline: Confirming the move from <plan> to <new plan> starts a <cycle> subscription today
      Given "<tenant>" is on the <plan> plan, renewing in <days> days
      And "admin@<tenant>" has chosen to upgrade to <new plan>
      When they confirm the upgrade
      Then "<tenant>" has one active subscription, on <new plan> billed <cycle> from today, and its <plan> subscription is kept as history
      And "<tenant>" has one paid invoice from the last hour for the new cycle less the credit

      Examples:
        | tenant                   | plan            | days | new plan               | cycle     |
        | basic-tenant.example.com | Basic           | 12   | Professional Quarterly | quarterly |
        | basic-tenant.example.com | Basic           | 12   | Professional Yearly    | yearly    |
        | quarterly.example.com    | Basic Quarterly | 50   | Professional Yearly    | yearly    |

  Rule: Billing decides which plan a tenant is on, wherever the plan shows

    Background:
      Given the tenant record of "pro-tenant.example.com" says Basic while billing charges it for Professional

    @normal
    Scenario: The billing settings show the plan billing charges for, and the tenant record follows
      Given "admin@pro-tenant.example.com" has signed in to the platform
      When they open the billing settings
      Then the current plan is "Professional"
      And "pro-tenant.example.com" is on the Professional plan in the tenant record too

    @normal
    Scenario: A tenant record that names a bigger plan than billing charges for follows billing too
      Given the tenant record of "basic-tenant.example.com" says Professional while billing charges it for Basic
      And "admin@basic-tenant.example.com" has signed in to the platform
      When they open the billing settings
      Then the current plan is "Basic"
      And "basic-tenant.example.com" is on the Basic plan in the tenant record too

    @normal
    Scenario: The upgrades offered are those of the plan billing charges for
      Given "admin@pro-tenant.example.com" has opened the billing settings
      When they go straight to the list of upgrades
      Then the current plan is "Professional"
      And the plans offered are Enterprise

    @normal
    Scenario: The upgrade summary starts from the plan billing charges for
      Given "admin@pro-tenant.example.com" has opened the billing settings
      When they go straight to the upgrade to Enterprise
      Then the current plan is "Professional"

    @normal
    Scenario: An upgrade is judged from the plan billing charges for
      Given "admin@pro-tenant.example.com" has opened the billing settings
      When they go straight to the upgrade to Professional Yearly
      Then the upgrade is refused with "Professional Yearly is not an upgrade from Professional"

  Rule: A tenant without an active subscription has nothing to upgrade

    @normal
    Scenario: The billing settings offer no upgrade
      Given "admin@lapsed.example.com" has signed in to the platform
      When they open the billing settings
      Then no upgrade is offered

    @normal
    Scenario Outline: Trying to <how> is refused
      Given "admin@lapsed.example.com" has opened the billing settings
      When they <how>
      Then the upgrade is refused with "There is no active subscription to upgrade."
      And "lapsed.example.com" has been charged nothing

      Examples:
        | how                                                     |
        | go straight to the list of upgrades                     |
        | go straight to the upgrade to Professional              |
        | confirm the upgrade to Professional without its summary |
