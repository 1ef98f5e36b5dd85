@product.shop
Feature: Closing the till

  Rule: The day's takings are counted at closing time

    @till.unplugged
    Scenario: The takings are counted
      Given a basket with 1 books
      Then the basket holds 1 books
