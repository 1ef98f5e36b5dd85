@product.shop
Feature: Filling a basket

  Rule: A basket holds what was put in it

    Scenario: A basket with two books holds two books
      Given a basket with 2 books
      Then the basket holds 2 books

  Rule: A basket's total is the sum of its prices

    Scenario: A basket's total counts every book
      Given a basket with 2 books
      Then the basket's total is 30 euros
