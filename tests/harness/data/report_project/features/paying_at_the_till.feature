@product.shop
Feature: Paying at the till

  Rule: The till answers once it has woken up

    Scenario: The till answers on its second call
      Given the till has woken up
      Then the till answers

  Rule: A receipt is printed for every sale

    Scenario: A receipt is printed
      Given the receipt printer is out of paper
      Then a receipt is printed
