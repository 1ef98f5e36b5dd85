@product.board
Feature: Mail steps

  Background:
    Given I call the API with the key of "acme.example.com"
    When I send a POST request to "/api/invitations" with:
      """
      {"email": "sam@example.com"}
      """

  Scenario: An HTML invitation arrives and its link is followed by its text
    Then an email to "sam@example.com" arrives with the subject "You are invited"
    And the email says "acme.example.com invites you."
    When I remember the link "Accept the invitation" in the email as {welcome}
    And I follow the link "Accept the invitation" in the email
    Then the browser shows "Invitation c-42"

  Scenario: A plain-text reminder's link is followed by the words that introduce it, or its path
    Then an email to "sam@example.com" arrives with the subject "Your invitation"
    When I follow the link "Open your invitation" in the email
    Then the browser shows "Invitation c-42"
    When I remember the link "/welcome" in the email as {welcome}
    And I open the remembered link welcome

  Scenario: A two-part email's link is followed by the text of its HTML link
    Then an email to "sam@example.com" arrives with the subject "Your invitation, in two parts"
    And the email says "Join the board"
    And the email says "Open this link to join"
    When I follow the link "Join the board" in the email
    Then the browser shows "Invitation c-42"

  Scenario: A two-part email's link is named by its text part too
    Then an email to "sam@example.com" arrives with the subject "Your invitation, in two parts"
    When I follow the link "Open this link to join" in the email
    Then the browser shows "Invitation c-42"

  Scenario: A link a two-part email does not have lists the links of both parts
    Then an email to "sam@example.com" arrives with the subject "Your invitation, in two parts"
    When I follow the link "Decline" in the email

  Scenario: No email with that subject arrives within the bound
    Then an email to "sam@example.com" arrives with the subject "You are not invited"

  Scenario: A link the email does not have
    Then an email to "sam@example.com" arrives with the subject "You are invited"
    When I follow the link "Decline" in the email

  Scenario: Words the email does not say
    Then an email to "sam@example.com" arrives with the subject "Your invitation"
    And the email says "Goodbye"

  Scenario: A link to remember that the email does not have
    Then an email to "sam@example.com" arrives with the subject "Your invitation"
    When I remember the link "Decline" in the email as {decline}

  Scenario: What an email says, before any email arrived
    Then the email says "Hello"
