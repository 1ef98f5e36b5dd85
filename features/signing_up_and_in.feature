@product.saas
@allure.label.epic:SaaS_platform
Feature: Signing up and signing in
  The sign-up form takes only details the platform can use and stores them in one form.
  Only people with the right password and a confirmed email address get in, and a session
  ends when they sign out or when it runs out.

  "{64 letters}" in an example stands for a text of that many letters.

  @normal @allure.label.story:Sign_up
  Scenario Outline: Sign-up refuses details the platform cannot use
    When someone signs up as "<company>" with the domain "<domain>" and the admin email "<admin email>"
    Then sign-up is refused, telling them "<told>"
    And nobody has signed up

    Examples:
      | rule                                       | company | domain                | admin email                    | told                                      |
      | a company name has at least 2 characters   | A       | acme.example.com      | admin@acme.example.com         | Company name must be 2 to 200 characters. |
      | a domain has at least two parts            | Acme    | localhost             | admin@acme.example.com         | Enter a valid domain name                 |
      | a domain has letters, digits and dashes    | Acme    | acme_corp.example.com | admin@acme.example.com         | Enter a valid domain name                 |
      | a domain does not end in a number          | Acme    | acme.example.123      | admin@acme.example.com         | Enter a valid domain name                 |
      | an email name has at most 64 characters    | Acme    | acme.example.com      | {65 letters}@acme.example.com  | Enter a valid email address               |
      | an email name has no two dots in a row     | Acme    | acme.example.com      | john..smith@acme.example.com   | Enter a valid email address               |
      | an email name does not start with a dot    | Acme    | acme.example.com      | .john@acme.example.com         | Enter a valid email address               |
      | an email name has no spaces                | Acme    | acme.example.com      | john smith@acme.example.com    | Enter a valid email address               |
      | an email's domain is a valid domain        | Acme    | acme.example.com      | admin@localhost                | Enter a valid email address               |

  @normal @allure.label.story:Sign_up
  Scenario Outline: Sign-up takes details at the edges of the rules and stores domains in lower case
    When someone signs up as "<company>" with the domain "<domain>" and the admin email "<admin email>"
    Then they are asked to verify their email address
    And "<stored domain>" is a tenant named "<company>" waiting for its admin "<stored email>" to confirm their email

    Examples:
      | company       | domain                        | admin email                                              | stored domain                 | stored email                                             |
      | AB            | ab.example.com                | a@ab.example.com                                         | ab.example.com                | a@ab.example.com                                         |
      | {200 letters} | {63 letters}.{32 letters}.com | {64 letters}@{63 letters}.{63 letters}.{57 letters}.com  | {63 letters}.{32 letters}.com | {64 letters}@{63 letters}.{63 letters}.{57 letters}.com  |
      | Mixed Case    | Mixed-Case.Example.COM        | Admin@MIXED-Case.Example.com                             | mixed-case.example.com        | Admin@mixed-case.example.com                             |

  @critical @allure.label.story:Sign_in
  Scenario Outline: Only the right password of a confirmed account signs in
    When "<email>" tries to sign in with <password>
    Then sign-in is refused with "Incorrect email or password."
    And nobody is signed in

    Examples:
      | who                                         | email                        | password          |
      | a tenant's user                             | member@rules.example.com     | a wrong password  |
      | an admin who has not confirmed their email  | admin@unconfirmed.example.com | their password    |
      | a platform operator                         | ops@platform.example.com     | a wrong password  |

  @critical @allure.label.story:Sign_in
  Scenario: Signing out ends the session
    When "member@rules.example.com" signs in
    And they sign out
    Then "member@rules.example.com" has no session left
    And opening the dashboard asks them to sign in

  @normal @allure.label.story:Sign_in
  Scenario: A session that has run out asks the user to sign in again
    When "member@rules.example.com" signs in
    And their session runs out
    Then opening the dashboard asks them to sign in
