@product.saas
Feature: Operating tenants
  Platform operators find tenants in the operators' console, suspend those that must stop
  using the platform, saying why, and reinstate them. A suspension locks the tenant out first
  and then tells billing; when that second part was interrupted, it is finished the next time
  an operator works in the console.

  A reinstatement interrupted between billing and the tenant record is finished by reinstating
  again, and an old suspension billing never heard of does not suspend the reinstated tenant
  again: tests/app/test_saas_admin.py::test_an_interrupted_reinstatement_is_finished_by_reinstating_again
  (a browser cannot stop the app between its two databases). Of two operators reinstating one
  tenant at the same moment, the one whose write comes second is refused, "This tenant is not
  suspended.": tests/app/test_saas_reinstatement_race.py (a browser cannot hold a request between
  its check and its write).

  Rule: A suspension reason is 5 to 500 characters, counted as letters, not bytes, spaces around it not counted

    Background:
      Given "ops@platform.example.com" is signed in to the operators' console

    @critical
    Scenario Outline: A reason of <reason> is refused
      # Accented letters take two bytes each: 4 of them are more than 5 bytes, and 501 of
      # them are far more than 500, so a limit counted in bytes gives the other answer.
      When they <how> "alpha.example.com" giving a reason of <reason>
      Then the suspension is refused: "<message>"
      And "alpha.example.com" is still active, with no suspension recorded

      Examples:
        | how                             | reason                                 | message                                 |
        | suspend                         | 0 characters                           | Enter a reason for the suspension.      |
        | suspend                         | 4 characters between spaces            | The reason must be 5 to 500 characters. |
        | suspend                         | 4 characters, with accented letters    | The reason must be 5 to 500 characters. |
        | send straight the suspension of | 501 characters                         | The reason must be 5 to 500 characters. |
        | send straight the suspension of | 501 characters, with accented letters  | The reason must be 5 to 500 characters. |

    @critical
    Scenario Outline: A reason of <reason> is taken
      When they suspend "<tenant>" giving a reason of <reason>
      Then "<tenant>" is suspended for that reason

      Examples:
        | tenant              | reason                                |
        | alpha.example.com   | 5 characters                          |
        | alpha.example.com   | 5 characters, with accented letters   |
        | charlie.example.com | 5 characters between spaces           |
        | bravo.example.com   | 500 characters                        |
        | bravo.example.com   | 500 characters, with accented letters |

    @normal
    Scenario Outline: The reason box stops at 500 characters<letters>
      When they write a reason of 501 characters<letters> to suspend "charlie.example.com"
      Then the reason stops at its first 500 characters

      Examples:
        | letters                 |
        |                         |
        | , with accented letters, |

  Rule: A tenant is suspended once: a suspended tenant cannot be suspended again

    @normal
    Scenario: A second suspension of a suspended tenant is refused
      Given "golf.example.com" was suspended, and billing heard of it
      And "ops@platform.example.com" is signed in to the operators' console
      When they send straight the suspension of "golf.example.com" for "Unpaid bills again"
      Then the console refuses it: "This tenant is already suspended."
      And "golf.example.com" has only its first suspension on record

  Rule: A suspension ends every session of the tenant's people at once, and touches no other tenant

    @critical
    Scenario: Every browser of every person of the tenant is signed out, and the bystander's are not
      Given "admin@alpha.example.com" is signed in, in a browser of their own
      And "admin@alpha.example.com" is signed in, in a browser of their own
      And "member@alpha.example.com" is signed in, in a browser of their own
      And "admin@bravo.example.com" is signed in, in a browser of their own
      And "ops@platform.example.com" is signed in to the operators' console
      When they suspend "alpha.example.com" giving a reason of 30 characters
      Then "alpha.example.com" is suspended for that reason
      And no person of "alpha.example.com" has a session left
      And every browser of the people of "alpha.example.com" is sent to the sign-in page at its next page
      And every browser of the people of "bravo.example.com" still opens the dashboard
      And the status of "bravo.example.com" is still active, and so is its subscription

  Rule: Only platform operators reach the console, and suspend or reinstate tenants

    @critical
    Scenario Outline: A tenant's <role> who tries to <how> is refused
      Given "<email>" has signed in to the platform
      When they <how>
      Then they are sent to the sign-in page, and no console is shown
      And the status of "<tenant>" is still <status>, and so is its subscription

      Examples:
        | role          | email                    | how                                                                    | tenant              | status    |
        | administrator | admin@alpha.example.com  | go straight to the operators' console                                  | alpha.example.com   | active    |
        | member        | member@alpha.example.com | go straight to the operators' console                                  | alpha.example.com   | active    |
        | administrator | admin@alpha.example.com  | send straight the suspension of "bravo.example.com" for "Unpaid bills" | bravo.example.com   | active    |
        | member        | member@alpha.example.com | send straight the suspension of "alpha.example.com" for "Unpaid bills" | alpha.example.com   | active    |
        | administrator | admin@alpha.example.com  | send straight the reinstatement of "foxtrot.example.com"               | foxtrot.example.com | suspended |
        | administrator | admin@alpha.example.com  | type the console's short address                                       | alpha.example.com   | active    |

    @normal
    Scenario: An operator typing the console's short address is shown its list of tenants
      Given "ops@platform.example.com" is signed in to the operators' console
      When they type the console's short address
      Then they are shown the console's list of tenants

  Rule: A tenant the platform does not have has no page in the console: the operator is told there is no such tenant

    @normal
    Scenario Outline: An operator who tries to <act on> a tenant the platform does not have is told there is no such tenant
      Given "ops@platform.example.com" is signed in to the operators' console
      When they <act on> a tenant the platform does not have
      Then the console answers that there is no such tenant: "Tenant not found."

      Examples:
        | act on                             |
        | open the suspension form of        |
        | send straight the suspension of    |
        | send straight the reinstatement of |
        | open the locked sign-ins of        |

  Rule: An operator can reinstate a suspended tenant: its people sign in again, its subscription is active again, and nothing of it was lost

    @critical
    Scenario: A suspended tenant is reinstated
      Given "foxtrot.example.com" was suspended, and billing heard of it
      And "ops@platform.example.com" is signed in to the operators' console
      When they reinstate "foxtrot.example.com"
      Then "foxtrot.example.com" is active again, its suspension kept on record
      And the subscription of "foxtrot.example.com" that was suspended is active again, the others as they were
      And "admin@foxtrot.example.com" can sign in again
      And "member@foxtrot.example.com" can sign in again
      And nothing else of "foxtrot.example.com" has changed, in either database
      And the status of "golf.example.com" is still suspended, and so is its subscription

    @normal
    Scenario: Reinstating a tenant that is not suspended is refused, and changes nothing
      Given "ops@platform.example.com" is signed in to the operators' console
      When they send straight the reinstatement of "alpha.example.com"
      Then the console refuses the reinstatement: "This tenant is not suspended."
      And the status of "alpha.example.com" is still active, and so is its subscription

  Rule: A suspension interrupted before billing heard of it is finished the next time an operator works in the console

    @critical
    Scenario: An interrupted suspension is finished when an operator next signs in
      Given the suspension of "delta.example.com" stopped before billing heard of it
      And "echo.example.com" was reinstated after a suspension billing never heard of
      When "ops@platform.example.com" signs in to the operators' console
      Then billing has suspended the subscription of "delta.example.com"
      And the suspension of "delta.example.com" is marked as known to billing
      And the subscription of "echo.example.com" stays active

  Rule: The console lists at most 100 tenants at a time, whether searched or not

    @normal
    Scenario Outline: With <count> tenants, the console lists <listed> of them
      Given the platform has <count> tenants
      When "ops@platform.example.com" signs in to the operators' console
      Then the console lists <listed> of them

      Examples:
        | count | listed |
        | 100   | 100    |
        | 101   | 100    |
        | 120   | 100    |

    @normal
    Scenario Outline: With <count> tenants, a search that matches them all lists <listed>
      Given the platform has <count> tenants
      And "ops@platform.example.com" is signed in to the operators' console
      When they search the console for "example.com"
      Then the console lists <listed> of them

      Examples:
        | count | listed |
        | 100   | 100    |
        | 101   | 100    |
