Feature: Retries that stay visible

  Scenario: A check that always holds
    Then the check "steady" holds from attempt 1 on

  @flaky
  Scenario: A check that holds from its second attempt on
    Then the check "first try" holds from attempt 2 on

  @fails_twice
  Scenario: A check that never holds
    Then the check "never" holds from attempt 99 on

  Scenario Outline: A check of the <case> row that holds from attempt <from> on
    Then the check "<case> row" holds from attempt <from> on

    Examples:
      | case   | from |
      | steady | 1    |
      | shaky  | 2    |

  @waits
  Scenario: A step that waits for a word that never comes
    Then a word comes through a pipe within 120 seconds
