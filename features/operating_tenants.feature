@product.saas
@allure.label.epic:SaaS_platform
Feature: Operating tenants
  Platform operators find tenants in the operators' console and suspend those that must stop
  using the platform, saying why. A suspension locks the tenant out first and then tells
  billing; when that second part was interrupted, it is finished the next time an operator
  works in the console.

  @critical @allure.label.story:Suspension
  Scenario: A suspension reason is 5 to 500 characters, spaces around it not counted
    Given "ops@platform.example.com" is signed in to the operators' console
    When they suspend "alpha.example.com" giving a reason of 4 characters between spaces
    Then the suspension is refused: "The reason must be 5 to 500 characters."
    And "alpha.example.com" is still active, with no suspension recorded
    When they suspend "alpha.example.com" giving a reason of 5 characters
    Then "alpha.example.com" is suspended for that reason
    When they suspend "bravo.example.com" giving a reason of 500 characters
    Then "bravo.example.com" is suspended for that reason
    When they write a reason of 501 characters to suspend "charlie.example.com"
    Then the reason stops at its first 500 characters

  @critical @allure.label.story:Suspension
  Scenario: A suspension interrupted before billing heard of it is finished when an operator next signs in
    Given the suspension of "delta.example.com" stopped before billing heard of it
    And "echo.example.com" was reinstated after a suspension billing never heard of
    When "ops@platform.example.com" signs in to the operators' console
    Then billing has suspended the subscription of "delta.example.com"
    And the suspension of "delta.example.com" is marked as known to billing
    And the subscription of "echo.example.com" stays active

  @normal @allure.label.story:Operators_console
  Scenario: The console lists at most 100 tenants at a time
    Given the platform has 120 tenants
    When "ops@platform.example.com" signs in to the operators' console
    Then the console lists 100 of them
