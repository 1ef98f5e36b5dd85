@product.board
Feature: API steps

  Scenario: A signed-in person reads their account
    Given I call the API as "pat@example.com"
    When I send a GET request to "/api/me"
    Then the response status is 200
    And the response has:
      | field      | value                          |
      | email      | pat@example.com                |
      | plan.name  | Pro                            |
      | plan.seats | > 4                            |
      | items.1.id | i-2                            |
      | items      | [{"id": "i-1"}, {"id": "i-2"}] |
    When I remember the response's "items.0.id" as {first}
    Then I have learned first as "i-1"

  Scenario: A signed-in person's unsafe request carries what the app's own page sends
    Given I call the API as "pat@example.com"
    When I send a GET request to "/api/me"
    And I remember the response's "email" as {me}
    And I send a POST request to "/api/invitations" with:
      """
      {"email": "{me}"}
      """
    Then the response status is 201
    And the response has:
      | field         | value    |
      | invitation.by | {me}     |
      | invitation.id | not null |

  Scenario: A client with a key sends an invitation, without the browser's cookies
    Given "pat@example.com" has signed in in the browser with "pat-password"
    And I call the API with the key of "acme.example.com"
    When I send a POST request to "/api/invitations" with:
      """
      {"email": "sam@example.com"}
      """
    Then the response status is 201
    And the response has:
      | field         | value            |
      | invitation.by | acme.example.com |

  Scenario: Nobody signed in is refused
    When I send a GET request to "/api/me"
    Then the response status is 200

  Scenario: A field that differs and one that is missing
    Given I call the API as "pat@example.com"
    When I send a GET request to "/api/me"
    Then the response has:
      | field      | value |
      | plan.name  | Basic |
      | plan.price | 10    |

  Scenario: A field remembered before any request
    When I remember the response's "email" as {me}

  Scenario: A key of an account the accounts file does not list
    Given I call the API with the key of "unknown.example.com"

  Scenario: A revoked key is refused
    Given I call the API with the key of "revoked.example.com"
    When I send a POST request to "/api/invitations" with:
      """
      {"email": "sam@example.com"}
      """
    Then the response status is 401
    And the response has:
      | field | value           |
      | error | unknown API key |

  Scenario: A body that is not JSON
    Given I call the API with the key of "acme.example.com"
    When I send a POST request to "/api/invitations" with:
      """
      {"email": sam}
      """

  Scenario: A request method that is not one
    When I send a FETCH request to "/api/me"

  Scenario: A field to remember that the response does not have
    Given I call the API as "pat@example.com"
    When I send a GET request to "/api/me"
    And I remember the response's "plan.price" as {price}
