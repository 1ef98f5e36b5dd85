@product.shelf @fixtures.lending
Feature: Lending a book from the shelf
  A team's own app, declared in YAML and started by its command, checked with generic steps.

  Scenario: The shelf starts with every feature's books and this feature's loans
    Then the shelf database has 2 rows in "Books"
    And the holdings database has 1 row in "Books" where Borrower is "Ada"

  Scenario: A book added to the shelf is counted
    Given the shelf database also has these "Books" rows:
      | BookId | Title      |
      | b3     | Persuasion |
    Then the shelf database table "Books" contains exactly:
      | Title      |
      | Dune       |
      | Emma       |
      | Persuasion |

  Scenario: A book lent on the shelf's page is recorded with its borrower
    Given I open the shelf page
    Then I see "Emma: Ada"
    When I choose "Dune" in "Book"
    And I fill in "Borrower" with "Grace"
    And I press "Lend"
    Then I see "Lent to Grace."
    And the shelf database has 1 row in "Books" where Title is "Dune" and Borrower is "Grace"
