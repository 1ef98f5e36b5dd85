@product.saas
Feature: Reporting usage
  A tenant's metering client reports what the tenant used through the usage API, with the
  tenant's key. Billing keeps every reading it takes exactly as reported, on the Los Angeles
  day it happened. A reading it cannot bill is refused with the reason, and nothing is kept.
  The usage page adds a tenant's readings of the day up, each metric the way it is billed.

  # In the examples, a value in quotes is sent as text, exactly as written.

  Rule: Billing takes any whole count of any metric, from nothing to a billion in one reading, dated today or up to 35 days back

    @critical
    Scenario Outline: Billing takes <amount> <metric> dated <when>
      When the metering client of "metered.example.com" reports <amount> <metric> dated <when>
      Then the reading is taken
      And billing keeps exactly that reading of "metered.example.com"

      Examples: From nothing at all to a billion, for every metric
        | amount    | metric        | when           |
        | 0         | API calls     | today at 09:00 |
        | a billion | API calls     | today at 09:00 |
        | 0         | GB of storage | today at 09:00 |
        | a billion | GB of storage | today at 09:00 |
        | 0         | active users  | today at 09:00 |
        | a billion | active users  | today at 09:00 |

      Examples: Readings arrive late, up to 35 days after the day they happened
        | amount | metric    | when               |
        | 250    | API calls | 35 days ago        |
        | 250    | API calls | yesterday at 23:30 |

  Rule: Billing refuses, with the reason, a reading it cannot bill, and keeps nothing of it

    @critical
    Scenario Outline: Billing refuses <amount> <metric> dated <when>
      When the metering client of "metered.example.com" reports <amount> <metric> dated <when>
      Then the reading is refused because it "<reason>"
      And billing keeps no reading of "metered.example.com"

      Examples: More than a billion in one reading, for every metric
        | amount            | metric        | when           | reason       |
        | a billion and one | API calls     | today at 09:00 | is too large |
        | a billion and one | GB of storage | today at 09:00 | is too large |
        | a billion and one | active users  | today at 09:00 | is too large |

      Examples: Not a whole number, or below nothing
        | amount | metric        | when           | reason                         |
        | "5"    | API calls     | today at 09:00 | must be a non-negative integer |
        | 1.5    | API calls     | today at 09:00 | must be a non-negative integer |
        | -1     | API calls     | today at 09:00 | must be a non-negative integer |
        | -1     | GB of storage | today at 09:00 | must be a non-negative integer |
        | -1     | active users  | today at 09:00 | must be a non-negative integer |

      Examples: Too late, or not happened yet
        | amount | metric        | when              | reason                     |
        | 250    | API calls     | 36 days ago       | is more than 35 days ago   |
        | 250    | API calls     | tomorrow at 09:00 | falls on a day after today |
        | 250    | GB of storage | 36 days ago       | is more than 35 days ago   |
        | 250    | active users  | tomorrow at 09:00 | falls on a day after today |

      Examples: Not a date and time
        | amount | metric    | when                   | reason                        |
        | 250    | API calls | "yesterday"            | must be an ISO-8601 timestamp |
        | 250    | API calls | "2026-13-45T25:00:00Z" | must be an ISO-8601 timestamp |

  Rule: Only the tenant's own, unrevoked key reports its usage, and a suspended tenant reports none

    @critical
    Scenario Outline: A reading of <tenant> sent with <key> is refused
      When the metering client of "<tenant>" reports 250 API calls dated today at 09:00 with <key>
      Then the reading is refused as coming from no known key: "<reason>"
      And billing keeps no reading of "<tenant>"

      Examples:
        | tenant              | key             | reason                                |
        | metered.example.com | no key          | Authorization header must be 'Bearer  |
        | metered.example.com | a made-up key   | unknown or revoked API key            |
        | metered.example.com | its revoked key | unknown or revoked API key            |

    @critical
    Scenario Outline: A reading of metered.example.com sent with its own key <how> is refused
      When the metering client of "metered.example.com" reports 250 API calls dated today at 09:00 with its own key <how>
      Then the reading is refused as coming from no known key: "Authorization header must be 'Bearer"
      And billing keeps no reading of "metered.example.com"

      Examples:
        | how                                  |
        | labelled "Token" instead of "Bearer" |
        | labelled "Basic" instead of "Bearer" |
        | left out after the word "Bearer"     |

    @critical
    Scenario Outline: A reading of <tenant> sent with <key> is not that key's to report
      When the metering client of "<tenant>" reports 250 API calls dated today at 09:00 with <key>
      Then the reading is refused as not this key's to report: "<reason>"
      And billing keeps no reading of "<tenant>"
      And billing keeps no reading of "<key owner>"

      Examples:
        | tenant                | key                                 | key owner             | reason                                 |
        | bystander.example.com | the key of "metered.example.com"    | metered.example.com   | this API key belongs to another tenant |
        | metered.example.com   | the key of "bystander.example.com"  | bystander.example.com | this API key belongs to another tenant |
        | suspended.example.com | the key of "suspended.example.com"  | suspended.example.com | this tenant is suspended               |

    @normal
    Scenario: A reading for a tenant the platform does not have is refused
      When the metering client of "metered.example.com" reports 250 API calls dated today at 09:00 for a tenant the platform does not have
      Then the reading is refused as for no tenant the platform has: "unknown tenant"
      And billing keeps no reading of "metered.example.com"

  Rule: The usage page shows, for today's Los Angeles day and the tenant alone, API calls summed, the latest storage reading and the peak of active users

    @critical
    Scenario: A tenant's usage page adds up its own readings of today, each metric its way
      # Sent out of order on purpose: the latest storage reading (80, at 16:00) is neither the
      # last sent (95), the largest (120), nor their sum; the peak of active users (45) is
      # neither the latest (12) nor the sum; yesterday's late reading falls on today's UTC day
      # but not on today's Los Angeles day; the bystander's readings would change every figure.
      Given the metering client of "metered.example.com" has reported, in this order:
        | metric        | amount | dated              |
        | API calls     | 1200   | today at 08:00     |
        | API calls     | 300    | today at 17:00     |
        | API calls     | 500    | yesterday at 23:30 |
        | GB of storage | 120    | today at 10:00     |
        | GB of storage | 80     | today at 16:00     |
        | GB of storage | 95     | today at 07:00     |
        | active users  | 30     | today at 09:00     |
        | active users  | 45     | today at 11:00     |
        | active users  | 12     | today at 15:00     |
      And the metering client of "bystander.example.com" has reported, in this order:
        | metric        | amount | dated          |
        | API calls     | 7000   | today at 12:00 |
        | GB of storage | 999    | today at 23:59 |
        | active users  | 99     | today at 12:00 |
      When "billing@metered.example.com" opens the usage page
      Then the usage page shows 1,500 API calls today, 80 GB of storage and a peak of 45 active users
      And billing keeps each of those readings of "metered.example.com" on the Los Angeles day it happened
