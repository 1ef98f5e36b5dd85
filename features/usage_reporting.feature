@product.saas
@allure.label.epic:SaaS_platform
Feature: Reporting usage
  A tenant's metering client reports what the tenant used through the usage API, with the
  tenant's key. Billing keeps every reading it takes exactly as reported, on the Los Angeles
  day it happened. A reading it cannot bill is refused with the reason, and nothing is kept.

  # In the examples, a value in quotes is sent as text, exactly as written.

  @critical @allure.label.story:Usage_billing
  Scenario Outline: Billing takes <amount> API calls dated <when>
    When the metering client of "metered.example.com" reports <amount> API calls dated <when>
    Then the reading is taken
    And billing keeps exactly that reading of "metered.example.com"

    Examples: From nothing at all to the largest amount billing can store
      | amount              | when           |
      | 0                   | today at 09:00 |
      | 9223372036854775807 | today at 09:00 |

    Examples: Readings arrive late, up to 35 days after the day they happened
      | amount | when        |
      | 250    | 35 days ago |

  @critical @allure.label.story:Usage_billing
  Scenario Outline: Billing refuses <amount> API calls dated <when>
    When the metering client of "metered.example.com" reports <amount> API calls dated <when>
    Then the reading is refused because it "<reason>"
    And billing keeps no reading of "metered.example.com"

    Examples: More than billing can store
      | amount              | when           | reason       |
      | 9223372036854775808 | today at 09:00 | is too large |

    Examples: Not a whole number
      | amount | when           | reason                         |
      | "5"    | today at 09:00 | must be a non-negative integer |
      | 1.5    | today at 09:00 | must be a non-negative integer |

    Examples: Too late, or not happened yet
      | amount | when              | reason                    |
      | 250    | 36 days ago       | is more than 35 days ago  |
      | 250    | tomorrow at 09:00 | falls on a day after today |

    Examples: Not a date and time
      | amount | when                   | reason                        |
      | 250    | "yesterday"            | must be an ISO-8601 timestamp |
      | 250    | "2026-13-45T25:00:00Z" | must be an ISO-8601 timestamp |
