@product.saas
Feature: Signing up and signing in
  The sign-up form takes only details the platform can use and stores them in one form; a
  domain or an email address belongs to one account only, and the form never tells whether an
  address has one. The emailed link's button confirms the address once, within 24 hours. The setup wizard's steps come in order and the admin's
  password meets every rule. Only people with the right password and a confirmed, active
  account of an unsuspended organisation get in; a session ends on its own device when they
  sign out or when it runs out; and a tenant's people see nothing of another tenant.

  Reached outside the browser, because the form does not let anyone type more than the limit:
  a company name over 200 characters, a domain over 100 and an email address over 254 are
  refused by the server too (tests/app/test_saas_access_limits.py), and so is an admin's first
  or last name over 100 (tests/app/test_saas_onboarding_names.py). A run has one mail server,
  which takes every message, so a verification email that cannot be sent is told in
  tests/app/test_saas_signup_mail.py: the organisation is created, and the page says so and
  whom to write to.

  No page of a tenant takes a tenant's id in its address or its forms: each page shows the
  tenant of the session. The one address with a tenant's id, the usage API, refuses another
  tenant's key (usage_reporting.feature).

  Rule: Sign-up takes only details the platform can use, counting lengths in letters

    @normal
    Scenario Outline: Sign-up refuses details the platform cannot use
      When someone signs up as "<company>" with the domain "<domain>" and the admin email "<admin email>"
      Then sign-up is refused, telling them "<told>"
      And nobody has signed up

      Examples:
        | rule                                              | company | domain                             | admin email                        | told                                      |
        | a company name has at least 2 characters          | A       | acme.example.com                   | admin@acme.example.com             | Company name must be 2 to 200 characters. |
        | one accented letter is one character, not two     | Ö       | acme.example.com                   | admin@acme.example.com             | Company name must be 2 to 200 characters. |
        | a domain has at least two parts                   | Acme    | localhost                          | admin@acme.example.com             | Enter a valid domain name                 |
        | a domain has letters, digits and dashes           | Acme    | acme_corp.example.com              | admin@acme.example.com             | Enter a valid domain name                 |
        | a domain does not end in a number                 | Acme    | acme.example.123                   | admin@acme.example.com             | Enter a valid domain name                 |
        | a domain has no accented letters                  | Acme    | münchen.example.com                | admin@acme.example.com             | Enter a valid domain name                 |
        | each part of a domain has at most 63 letters      | Acme    | a domain with a part of 64 letters | admin@acme.example.com             | Enter a valid domain name                 |
        | an email name has at most 64 characters           | Acme    | acme.example.com                   | an email whose name has 65 letters | Enter a valid email address               |
        | an email name has no two dots in a row            | Acme    | acme.example.com                   | john..smith@acme.example.com       | Enter a valid email address               |
        | an email name does not start with a dot           | Acme    | acme.example.com                   | .john@acme.example.com             | Enter a valid email address               |
        | an email name has no spaces                       | Acme    | acme.example.com                   | john smith@acme.example.com        | Enter a valid email address               |
        | an email name has no accented letters             | Acme    | acme.example.com                   | jürgen@acme.example.com            | Enter a valid email address               |
        | an email's domain is a valid domain               | Acme    | acme.example.com                   | admin@localhost                    | Enter a valid email address               |

    @normal
    Scenario Outline: Sign-up takes details at the edges of the rules and stores domains in lower case
      When someone signs up as "<company>" with the domain "<domain>" and the admin email "<admin email>"
      Then they are asked to verify their email address
      And "<stored domain>" is a tenant named "<company>" waiting for its admin "<stored email>" to confirm their email

      # 200 accented letters are 400 bytes: a limit counted in bytes would refuse them
      Examples:
        | company              | domain                                | admin email                                   | stored domain                         | stored email                                  |
        | AB                   | ab.example.com                        | a@ab.example.com                              | ab.example.com                        | a@ab.example.com                              |
        | Öl                   | oel.example.com                       | a@oel.example.com                             | oel.example.com                       | a@oel.example.com                             |
        | 200 accented letters | the longest domain the platform takes | the longest email address the platform takes | the longest domain the platform takes | the longest email address the platform takes |
        | Mixed Case           | Mixed-Case.Example.COM                | Admin@MIXED-Case.Example.com                  | mixed-case.example.com                | Admin@mixed-case.example.com                  |

  Rule: A domain already registered to an organisation is refused, whatever its case or state

    @critical
    Scenario Outline: Signing up with a domain already registered is refused
      When someone signs up as "Newcomer" with the domain "<domain>" and the admin email "founder@<domain>"
      Then sign-up is refused, telling them "This domain is already registered."
      And nobody has signed up

      Examples:
        | whose domain                                    | domain                  |
        | an active organisation's                        | rules.example.com       |
        | an active organisation's, typed in capitals     | RULES.Example.COM       |
        | an organisation still confirming its email      | unconfirmed.example.com |
        | a suspended organisation's                      | paused.example.com      |

  Rule: An email address that already has an account gets no second one, whatever its case or state, and the form does not tell: its owner is told by email

    # The people below work with Rules Ltd, Unconfirmed Co and Paused Ltd from addresses of
    # their own company's domain, which no organisation has signed up yet.
    @critical
    Scenario Outline: Signing up with an email address that already has an account makes no account, and looks like any sign-up
      When someone signs up as "Newcomer" with the domain "<domain>" and the admin email "<email>"
      Then they are asked to verify their email address
      And nobody has signed up
      And "<owner>" is told by email that they already have an account, with no link that confirms an address

      Examples:
        | whose email address                       | domain                     | email                            | owner                            |
        | a member's                                | freelance.example.com      | pat@freelance.example.com        | pat@freelance.example.com        |
        | a member's, typed in other letters' case  | freelance.example.com      | PAT@Freelance.Example.COM        | pat@freelance.example.com        |
        | an admin's who has not confirmed it yet   | hq.unconfirmed.example.com | admin@hq.unconfirmed.example.com | admin@hq.unconfirmed.example.com |
        | a disabled person's                       | studio.example.com         | sam@studio.example.com           | sam@studio.example.com           |
        | a suspended organisation's member's       | agency.example.com         | kim@agency.example.com           | kim@agency.example.com           |

  Rule: The emailed link confirms the address once, and only within 24 hours of signing up

    @critical
    Scenario: A link confirmed just inside 24 hours confirms the address
      Given "Prompt Co" signed up as "prompt.example.com" with the admin "admin@prompt.example.com", 23 hours and 59 minutes ago
      When the admin confirms their email address from the link emailed to "admin@prompt.example.com"
      Then the email address is confirmed
      And the account of "admin@prompt.example.com" is active

    @critical
    Scenario: A link confirmed just after 24 hours is refused
      Given "Late Co" signed up as "late.example.com" with the admin "admin@late.example.com", 24 hours and 1 minute ago
      When the admin confirms their email address from the link emailed to "admin@late.example.com"
      Then the link is refused, telling them "This verification link has expired."
      And "admin@late.example.com" still waits to confirm their email address, and is not signed in

    @critical
    Scenario: A link works only once
      Given "Twice Co" signed up as "twice.example.com" with the admin "admin@twice.example.com", 1 hour ago
      And the admin "admin@twice.example.com" has confirmed their email address from the link emailed to them
      When the admin confirms their email address from the link emailed to "admin@twice.example.com"
      Then the link is refused, telling them "This verification link has already been used."
      And "admin@twice.example.com" has only the session their first confirmation gave them

  Rule: The setup wizard's steps come in order: no step is skipped by typing an address

    @critical
    Scenario Outline: Typing the address of a later page leads back to the step the wizard is at
      Given the admin "<admin>" is signed in, their setup wizard at the <step> step
      When they type the address of <page>
      Then they are shown the <step> step
      And the setup wizard still stands at the <step> step, with nothing skipped stored

      Examples:
        | admin                            | step         | page                      |
        | admin@wizard-start.example.com   | organisation | the profile step          |
        | admin@wizard-start.example.com   | organisation | the card step             |
        | admin@wizard-start.example.com   | organisation | the dashboard             |
        | admin@wizard-start.example.com   | organisation | the billing tab           |
        | admin@wizard-start.example.com   | organisation | the usage page            |
        | admin@wizard-profile.example.com | profile      | the organisation step     |
        | admin@wizard-profile.example.com | profile      | the card step             |
        | admin@wizard-profile.example.com | profile      | the organisation settings |
        | admin@wizard-card.example.com    | card         | the organisation step     |
        | admin@wizard-card.example.com    | card         | the profile step          |
        | admin@wizard-card.example.com    | card         | the dashboard             |

    @critical
    Scenario Outline: A later step's form sent straight to its address stores nothing
      Given the admin "<admin>" is signed in, their setup wizard at the <step> step
      When they send <form> straight to its address
      Then the setup wizard still stands at the <step> step, with nothing skipped stored

      Examples:
        | admin                            | step         | form                  |
        | admin@wizard-start.example.com   | organisation | the profile form      |
        | admin@wizard-start.example.com   | organisation | the card form         |
        | admin@wizard-profile.example.com | profile      | the card form         |
        | admin@wizard-profile.example.com | profile      | the organisation form |

    @critical
    Scenario Outline: Before the wizard is done, a change sent straight to the dashboard's API is refused: <step> step
      Given the admin "<admin>" is signed in, their setup wizard at the <step> step
      When their browser sends a change of their display name to "Bea" straight to the dashboard's API
      Then the dashboard's API refuses the change: "Finish setting up your organisation first."

      Examples:
        | admin                          | step         |
        | admin@wizard-start.example.com | organisation |
        | admin@wizard-card.example.com  | card         |

  Rule: The admin's password has 12 to 256 characters, counted in letters, with an upper-case and a lower-case letter, a digit and a symbol

    Background:
      Given the admin "admin@wizard-profile.example.com" is signed in, their setup wizard at the profile step

    @critical
    Scenario Outline: A password that breaks a rule is refused
      When they choose the password "<password>" and confirm it
      Then the wizard refuses the password, telling them "<told>"
      And the wizard keeps no password and still asks for the admin's profile

      # accented letters take two bytes: "Pässwörd12!" has 11 letters but 13 bytes
      Examples:
        | rule                                 | password                                            | told                                          |
        | at least 12 characters               | Pässwörd12!                                         | Password must be at least 12 characters long. |
        | at most 256 characters               | a password of 257 characters, most of them accented | Password must be at most 256 characters long. |
        | an upper-case letter                 | pässwörd123!                                        | Password must contain an upper-case letter.   |
        | a lower-case letter                  | PÄSSWÖRD123!                                        | Password must contain a lower-case letter.    |
        | a digit                              | Pässwörd-Zwölf!                                     | Password must contain a digit.                |
        | a symbol                             | Pässwörd123X                                        | Password must contain a symbol                |
        | a space is not a symbol              | Pässwörd 123X                                       | Password must contain a symbol                |

    @critical
    Scenario Outline: A password that meets every rule is taken
      When they choose the password "<password>" and confirm it
      Then the wizard takes the password and asks for a card

      # 256 accented characters are 508 bytes: a limit counted in bytes would refuse them
      Examples:
        | edge                                         | password                                            |
        | exactly 12 characters, 14 bytes              | Pässwörd12!x                                        |
        | exactly 256 characters                       | a password of 256 characters, most of them accented |
        | the only upper-case letter is accented       | Ärger-mit-12-x                                      |
        | the only lower-case letters are accented     | PASSWORD-12-éé                                      |
        | the only symbol is not on an English keyboard | Passwort12§x                                        |

    @normal
    Scenario: A password confirmed differently is refused
      When they choose the password "Pässwörd12!x" but confirm "Pässwörd12!y"
      Then the wizard refuses the password, telling them "Password confirmation does not match."
      And the wizard keeps no password and still asks for the admin's profile

  Rule: The company's size is one of the sizes the setup wizard lists

    @normal
    Scenario Outline: A company size the wizard does not list is refused, and nothing of the organisation is kept: "<size>"
      Given the admin "admin@wizard-start.example.com" is signed in, their setup wizard at the organisation step
      When they describe their company as having "<size>" people, in Retail
      Then the wizard refuses the company size, telling them "Company size must be one of: 1-10, 11-50, 51-100, 100-500, 500+."
      And the wizard keeps nothing of the organisation and still asks for it

      Examples:
        | size     |
        | about 30 |
        | 1-11     |

  Rule: The admin's first and last names each have 1 to 100 characters, counted in letters

    Background:
      Given the admin "admin@wizard-profile.example.com" is signed in, their setup wizard at the profile step

    @normal
    Scenario Outline: Names at the edges of the rule are taken and kept as given
      When they give their first name as "<first name>" and their last name as "<last name>"
      Then the wizard keeps the name as given and asks for a card

      # 100 accented letters are 200 bytes: a limit counted in bytes would refuse them
      Examples:
        | first name           | last name            |
        | Ö                    | 100 accented letters |
        | 100 accented letters | Ö                    |

    @normal
    Scenario Outline: A name left empty is refused, telling its limit
      When they give their first name as "<first name>" and their last name as "<last name>"
      Then the wizard refuses the <which> name, telling them "<told>"
      And the wizard keeps no password and still asks for the admin's profile

      Examples:
        | which | first name | last name   | told                                            |
        | first | nothing    | Globex      | Enter your first name (at most 100 characters). |
        | last  | Gina       | only spaces | Enter your last name (at most 100 characters).  |

  Rule: Only the right password of a confirmed, active account of an unsuspended organisation signs in

    @critical
    Scenario Outline: Each kind of person signs in with their own password
      When "<email>" tries to sign in with their password
      Then "<email>" is signed in and sees <landing>

      Examples:
        | who                               | email                    | landing                         |
        | a tenant's admin                  | admin@rules.example.com  | their organisation's dashboard  |
        | a tenant's member                 | member@rules.example.com | their organisation's dashboard  |
        | a tenant's billing user           | billing@rules.example.com | their organisation's dashboard |
        | a member typing their email in capitals | MEMBER@RULES.EXAMPLE.COM | their organisation's dashboard |
        | a platform operator               | ops@platform.example.com | the tenants console             |

    @critical
    Scenario Outline: A wrong password, an unconfirmed or a disabled account does not sign in
      When "<email>" tries to sign in with <password>
      Then sign-in is refused with "Incorrect email or password."
      And nobody is signed in

      Examples:
        | who                                         | email                         | password                                  |
        | a tenant's admin                            | admin@rules.example.com       | a wrong password                          |
        | a tenant's member                           | member@rules.example.com      | a wrong password                          |
        | a tenant's billing user                     | billing@rules.example.com     | a wrong password                          |
        | a member with a colleague's password        | member@rules.example.com      | the password of admin@rules.example.com   |
        | an admin who has not confirmed their email  | admin@hq.unconfirmed.example.com | their password                         |
        | a person whose account was disabled         | former@rules.example.com      | their password                            |
        | a platform operator                         | ops@platform.example.com      | a wrong password                          |
        | an operator with a tenant admin's password  | ops@platform.example.com      | the password of admin@rules.example.com   |

    @critical
    Scenario: A suspended organisation's people cannot sign in and are told to contact support
      When "staff@paused.example.com" tries to sign in with their password
      Then they are told their organisation's account is suspended, to contact support
      And nobody is signed in

    @critical
    Scenario Outline: A session from before no longer opens any page once <since>
      Given "<email>" still holds a session started before <since>
      When they open <page>
      Then they are asked to sign in

      Examples:
        | email                    | since                            | page           |
        | staff@paused.example.com | their organisation was suspended | the dashboard  |
        | staff@paused.example.com | their organisation was suspended | the usage page |
        | former@rules.example.com | their account was disabled       | the dashboard  |
        | former@rules.example.com | their account was disabled       | the billing tab |

  Rule: The platform's own address leads a tenant's person to their organisation's dashboard, and anyone not signed in to sign-in

    @normal
    Scenario: A member who opens the platform's address is shown their organisation's dashboard
      Given "member@rules.example.com" has signed in
      When they open the platform's address
      Then they are shown their organisation's dashboard

    @normal
    Scenario: Someone not signed in who opens the platform's address is asked to sign in
      When someone who has not signed in opens the platform's address
      Then they are shown the sign-in page

  Rule: A session ends on its own device only, when its owner signs out or when it runs out

    @critical
    Scenario: Signing out ends the session of that device only
      Given "member@rules.example.com" has signed in on two devices
      And "admin@rules.example.com" has signed in on a device of their own
      When they sign out on the first device
      Then opening their organisation's dashboard on the first device asks them to sign in
      And their second device still shows their organisation's dashboard
      And "admin@rules.example.com" is still signed in on their own device, on their organisation's dashboard
      And "member@rules.example.com" has 1 live session left

    @normal
    Scenario: A session that has run out asks for signing in again, on that device only
      Given "member@rules.example.com" has signed in on two devices
      And "admin@rules.example.com" has signed in on a device of their own
      When the session on their first device runs out
      Then opening their organisation's dashboard on the first device asks them to sign in
      And their second device still shows their organisation's dashboard
      And "admin@rules.example.com" is still signed in on their own device, on their organisation's dashboard

    @critical
    Scenario: An operator signing out ends that operator's session only
      Given "ops@platform.example.com" has signed in on two devices
      And "member@rules.example.com" has signed in on a device of their own
      When they sign out on the first device
      Then opening the tenants console on the first device asks them to sign in
      And their second device still shows the tenants console
      And "member@rules.example.com" is still signed in on their own device, on their organisation's dashboard
      And "ops@platform.example.com" has 1 live session left

  Rule: A tenant's people see their own organisation and nothing of another tenant, whatever their role

    @critical
    Scenario Outline: <who> sees only their own organisation on <page>
      Given "<email>" has signed in
      When they open <page>
      Then the page shows their own organisation
      And nothing of "Other Corp" shows on it

      Examples:
        | who             | email                     | page                      |
        | an admin        | admin@rules.example.com   | the dashboard             |
        | a member        | member@rules.example.com  | the dashboard             |
        | a billing user  | billing@rules.example.com | the dashboard             |
        | an admin        | admin@rules.example.com   | the organisation settings |
        | a member        | member@rules.example.com  | the organisation settings |
        | an admin        | admin@rules.example.com   | the billing tab           |
        | a member        | member@rules.example.com  | the billing tab           |
        | a billing user  | billing@rules.example.com | the billing tab           |
        | an admin        | admin@rules.example.com   | the usage page            |
        | a member        | member@rules.example.com  | the usage page            |
        | a billing user  | billing@rules.example.com | the usage page            |
        | an admin        | admin@rules.example.com   | the plan upgrades         |
