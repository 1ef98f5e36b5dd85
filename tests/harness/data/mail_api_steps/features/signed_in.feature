@product.board
Feature: The API as the person the browser has signed in

  Scenario: The browser's session is used, not the accounts file's password
    Given "pat@example.com" has signed in in the browser with "pat-password"
    And I call the API as "pat@example.com"
    When I send a GET request to "/api/me"
    Then the response status is 200

  Scenario: A person the browser has not signed in signs in with the accounts file's password
    Given I call the API as "pat@example.com"
