@product.saas
Feature: Paying by card
  The last step of setting up an account is the card the platform bills. The platform takes
  Visa, Mastercard, Discover and American Express cards whose number has 13 to 19 digits and
  passes the card check digit, that have not expired (a card is valid through the end of its
  expiry month), with the security code of their brand: 4 digits on American Express, 3 on the
  others. It keeps only the card's brand, its last four digits and its expiry.

  Reached outside the browser: an expiry typed other than MM/YY, a number with letters and an
  empty number (tests/app/test_saas_payments.py), because they are refused by the same checks
  the rows below reach at their edges.

  Background:
    Given "initech.example.com" has confirmed its email and set up its account, all but the card to pay with
    And its admin "admin@initech.example.com" has signed in and is asked for a card to pay with

  Rule: The platform takes Visa, Mastercard, Discover and American Express cards, and keeps their brand, last four digits and expiry

    @critical
    Scenario Outline: Cards of every brand the platform takes
      When the admin pays with the card "<card>", expiring <expiry>, security code "<security code>"
      Then the card is accepted and setting up the account is complete
      And billing keeps the <brand> card ending in "<ends in>", expiring <expiry>
      And the subscription to the chosen plan has started

      Examples: Mastercard numbers start with 51 to 55 or 2221 to 2720; expiry months run from 01 to 12
        | card                | expiry             | security code | brand      | ends in |
        | 5105 1051 0510 5100 | January next year  | 123           | Mastercard | 5100    |
        | 5555 5555 5555 4444 | December this year | 456           | Mastercard | 4444    |
        | 2221 0000 0000 0009 | January next year  | 789           | Mastercard | 0009    |
        | 2720 9999 9999 9996 | December this year | 123           | Mastercard | 9996    |

      Examples: Visa numbers start with 4; Discover numbers with 6011 or 65
        | card                | expiry             | security code | brand    | ends in |
        | 4242 4242 4242 4242 | January next year  | 987           | Visa     | 4242    |
        | 6500 0000 0000 0002 | January next year  | 654           | Discover | 0002    |

      Examples: numbers have 13 to 19 digits; a card is valid through the end of its expiry month
        | card                    | expiry             | security code | brand    | ends in |
        | 4222 2222 2222 2        | this month         | 123           | Visa     | 2222    |
        | 6011 1111 1111 1111 110 | December this year | 321           | Discover | 1110    |

      Examples: American Express numbers start with 34 or 37 and have a 4-digit security code
        | card              | expiry            | security code | brand            | ends in |
        | 3782 822463 10005 | January next year | 1234          | American Express | 0005    |
        | 3400 000000 00009 | January next year | 4321          | American Express | 0009    |

  Rule: A card the platform cannot bill is refused, and billing keeps nothing of it

    @critical
    Scenario Outline: Cards the platform refuses
      When the admin pays with the card "<card>", expiring <expiry>, security code "<security code>"
      Then the card is refused and the admin is told "<told>"
      And billing keeps nothing of the card and no subscription has started
      And setting up the account still waits for a card

      Examples: a card that expired last month
        | card                | expiry     | security code | told                   |
        | 4242 4242 4242 4242 | last month | 123           | Your card has expired. |

      Examples: there is no month 0 and no month 13
        | card                | expiry                | security code | told                                    |
        | 4242 4242 4242 4242 | month 0 of next year  | 123           | Expiry month must be between 01 and 12. |
        | 4242 4242 4242 4242 | month 13 of next year | 123           | Expiry month must be between 01 and 12. |

      Examples: a number has 13 to 19 digits and passes the check digit (each number below passes it but the last)
        | card                     | expiry            | security code | told                         |
        | 4222 2222 2222           | January next year | 123           | Your card number is invalid. |
        | 4242 4242 4242 4242 4242 | January next year | 123           | Your card number is invalid. |
        | 4242 4242 4242 4241      | January next year | 123           | Your card number is invalid. |

      Examples: numbers just outside the Mastercard ranges belong to no brand the platform takes
        | card                | expiry            | security code | told                                                           |
        | 2220 9999 9999 9991 | January next year | 123           | We take Visa, Mastercard, Discover and American Express cards. |
        | 2721 0000 0000 0004 | January next year | 123           | We take Visa, Mastercard, Discover and American Express cards. |
        | 5000 0000 0000 0009 | January next year | 123           | We take Visa, Mastercard, Discover and American Express cards. |
        | 5600 0000 0000 0003 | January next year | 123           | We take Visa, Mastercard, Discover and American Express cards. |

      Examples: the security code has 3 digits, 4 on American Express
        | card                | expiry            | security code | told                                      |
        | 4242 4242 4242 4242 | January next year | 12            | The security code (CVC) must be 3 digits. |
        | 4242 4242 4242 4242 | January next year | 1234          | The security code (CVC) must be 3 digits. |
        | 5555 5555 5555 4444 | January next year | 12a           | The security code (CVC) must be 3 digits. |
        | 3400 000000 00009   | January next year | 123           | The security code (CVC) must be 4 digits. |
        | 3782 822463 10005   | January next year | 12345         | The security code (CVC) must be 4 digits. |

      Examples: the payment gateway declines a card
        | card                | expiry            | security code | told                    |
        | 4000 0000 0000 0002 | January next year | 123           | Your card was declined. |

  Rule: The billing address has 5 to 500 characters, counted in letters

    @normal
    Scenario Outline: A billing address at the edges is taken and kept in full
      When the admin pays with a valid card, billed to "<address>"
      Then the card is accepted and setting up the account is complete
      And billing keeps that address for the invoices

      # accented letters take two bytes: 500 of them are 1,000 bytes
      Examples:
        | address              |
        | Århus                |
        | 500 accented letters |

    @normal
    Scenario: A billing address of 4 letters is refused
      When the admin pays with a valid card, billed to "Köln"
      Then the card is refused and the admin is told "Enter the billing address (5 to 500 characters)."
      And billing keeps nothing of the card and no subscription has started
      And setting up the account still waits for a card

  Rule: A setup whose subscription billing started, but whose end was not recorded, is finished when the admin comes back, without a second charge

    @critical
    Scenario: The admin comes back to a setup that was paid for but not recorded as complete
      Given billing has started the subscription to the chosen plan, but the end of the setup was not recorded
      When the admin comes back to the setup wizard
      Then setting up the account is complete, and the admin is welcomed to the dashboard
      And the subscription to the chosen plan has started
