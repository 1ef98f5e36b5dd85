@product.saas
Feature: Working through an unreliable network
  The dashboard reads the organisation, its plan and the person's profile from the platform and
  keeps the last copy it got on the device, one copy per person. When the platform does not
  answer in time, the dashboard says it is offline and shows that copy. A display name changed
  meanwhile waits on the device, visibly, and is sent when the platform answers again; the
  platform applies a change once however many times it receives it, even when it applied the
  first one and only its answer was lost, and it refuses another change sent under the key of
  one it applied.

  The network's faults are made on purpose, the same way every run: "the platform answers late"
  holds every call of the page until the platform answers again, then lets each reach the
  platform; "answers are lost" lets each change reach the platform and drops its answer.

  Reached outside the browser: a key that is not a UUID, a body that is not JSON, and many
  copies of one change arriving at the same moment (tests/app/test_saas_dashboard_api.py).

  Rule: While the platform does not answer, the dashboard says it is offline and shows what it last knew

    @critical
    Scenario: The dashboard shows the copy saved on the device while the platform answers late
      Given "ann@northwind.example.com" has seen their dashboard
      And the platform answers late
      When they open their dashboard
      Then the dashboard says it is offline
      And it shows the copy saved on this device: "Northwind Ltd" on the Professional plan, for "Ann Example"

  Rule: A change made while the platform does not answer waits on the device, visibly, and changes nothing yet

    @critical
    Scenario: A display name changed while the platform answers late waits to be sent
      Given "ann@northwind.example.com" has seen their dashboard
      And the platform answers late
      And they have opened their dashboard, which says it is offline
      When they change their display name to "Ann Offline"
      Then their change waits to be sent, showing "Ann Offline"
      And the platform still knows them as "Ann Example", with no change applied

  Rule: When the platform answers again, the waiting change is sent, the indicator clears, and the change is applied once

    @critical
    Scenario: The change that waited is sent when the platform answers again
      Given "ann@northwind.example.com" has seen their dashboard
      And the platform answers late
      And they have changed their display name to "Ann Offline" while the platform answers late
      When the platform answers again
      Then the dashboard is online again, with nothing waiting to be sent
      And the dashboard shows them as "Ann Offline"
      And the platform knows them as "Ann Offline", changed exactly once
      And the change reached the platform more than once

  Rule: A change whose answer was lost is applied once, however often it is sent

    @critical
    Scenario: A change applied by the platform whose answer never came back is not applied again
      Given "ann@northwind.example.com" has seen their dashboard
      And the platform's answers to profile changes are lost
      And they have changed their display name to "Ann Resent", and the answer was lost
      When the platform answers again
      Then the dashboard is online again, with nothing waiting to be sent
      And the dashboard shows them as "Ann Resent"
      And the platform knows them as "Ann Resent", changed exactly once
      And the change reached the platform more than once

  Rule: A change's key stands for that change only: another name sent under it is refused

    @normal
    Scenario Outline: Another name sent under the key of an applied change is refused: "<second>" after "<first>"
      Given "ann@northwind.example.com" has seen their dashboard
      And they have changed their display name to "<first>"
      When their browser sends the name "<second>" under the key of their last change
      Then the platform refuses it, telling them "already used for another change"
      And the platform knows them as "<first>", changed exactly once

      Examples:
        | first     | second    |
        | Ann Keyed | Mallory   |
        | Mallory   | Ann Keyed |

  Rule: A person's saved copy is theirs alone: another person on the same device never sees it, and signing out forgets it

    @critical
    Scenario: Another person signing in on the same device while the platform answers late sees nothing of the first
      Given "ann@northwind.example.com" has seen their dashboard
      And the platform answers late
      When "bob@southwind.example.com" signs in on the same device
      Then the dashboard says it is offline
      And it has no saved copy to show
      And neither "Northwind Ltd" nor "Ann Example" shows on it

    @normal
    Scenario: After signing out, the device keeps no copy of the dashboard
      Given "ann@northwind.example.com" has seen their dashboard
      And they have signed out
      And the platform answers late
      When "ann@northwind.example.com" signs in again
      Then the dashboard says it is offline
      And it has no saved copy to show

  Rule: A display name is trimmed and has 1 to 100 characters, counted in letters; the platform refuses another and keeps the name it had

    @normal
    Scenario: The platform takes a display name without the spaces around it and between its words
      Given "ann@northwind.example.com" has seen their dashboard
      When they change their display name to "   Ann    van  Example  "
      Then the dashboard shows them as "Ann van Example"
      And the platform knows them as "Ann van Example", changed exactly once

    @normal
    Scenario Outline: The platform takes a display name of <typed>
      Given "ann@northwind.example.com" has seen their dashboard
      When they change their display name to "<typed>"
      Then the dashboard shows them as "<typed>"
      And the platform knows them as "<typed>", changed exactly once

      # 100 accented letters are 200 bytes: a limit counted in bytes would refuse them
      Examples:
        | typed                |
        | A                    |
        | 100 accented letters |

    @normal
    Scenario: The platform refuses a display name of spaces only
      Given "ann@northwind.example.com" has seen their dashboard
      When they change their display name to "   "
      Then they are told "Enter a display name."
      And the platform still knows them as "Ann Example", with no change applied

    @normal
    Scenario Outline: The platform refuses a display name of <typed>
      Given "ann@northwind.example.com" has seen their dashboard
      When they change their display name to "<typed>"
      Then they are told "<told>"
      And the platform still knows them as "Ann Example", with no change applied

      Examples:
        | typed                | told                                         |
        | nothing at all       | Enter a display name.                        |
        | 101 accented letters | Display name must be at most 100 characters. |
