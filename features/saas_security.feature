@product.saas @security
Feature: The SaaS platform's defences: sign-ups no one can take over, usage reports that cannot break billing, and no guessing, forged requests or framing
  Tenant users and the platform's operators sign in with a password alone, and an operator can
  suspend any tenant, so guessing passwords must stop, and no other site may make a signed-in
  browser act. Each rule is proven where it lives: what the person sees, and what the users and
  billing databases hold. Attacks are real requests: wrong passwords through the sign-in page,
  a page on another site submitting a form in the person's own browser.

  The numbers are the platform's settings, with these defaults: 5 wrong passwords in a row
  (APP_LOGIN_FAILURES_BEFORE_LOCK) lock an account for 15 minutes (APP_LOGIN_LOCK_MINUTES);
  one client address may fail 100 sign-ins within 10 minutes (APP_LOGIN_FAILURES_PER_ADDRESS).

  A company's domain is claimed only by someone at that domain, and an unconfirmed sign-up
  holds it for a day at most: a squatter cannot lock the real owner out for good. The emailed
  link confirms nothing until the person presses its button, so a mail scanner that opens it
  neither uses it up nor gets a session. The usage API checks the key, then a report's size
  before reading it, and refuses any reading billing could not add up, with the reason and
  never a server error. A change of display name sent to the dashboard's API is read up to
  4 KB, and only as JSON in UTF-8, whatever a client sends. A pending sign-up holds its domain
  for 24 hours (APP_PENDING_SIGNUP_HOURS), the time its emailed link works.

  Reached by pytest, not by a browser (tests/app/test_saas_security.py): a chunked report is
  read no further than 16 KB; the key is checked before the body; a JSON text nested deeper
  than 16 levels, or a number of more than 30 digits, is refused undecoded; the usage page adds
  up readings beyond INT64; every date from year 1 to 9999 gets an answer, never a 500; and
  (tests/app/test_saas_dashboard_api.py) a change of display name sent again under its key is
  answered with the Idempotent-Replayed header, the first one without it.

  Rule: Opening the emailed link changes nothing: only pressing its button confirms the address and signs the admin in

    @critical
    Scenario: A mail scanner that opens the link neither uses it up nor gets a session
      Given "Scanned Co" has signed up with the domain "scanned.example.com", admin "admin@scanned.example.com" and the Basic plan
      When a mail scanner opens the verification link emailed to "admin@scanned.example.com"
      Then the scanner is shown the button to press, and given no session
      And the link of "admin@scanned.example.com" is unused, their account waits for it and no session of theirs exists

    @critical
    Scenario: After a mail scanner opened it, the link still confirms the admin's address
      Given "Scanned Co" has signed up with the domain "scanned.example.com", admin "admin@scanned.example.com" and the Basic plan
      And a mail scanner has opened the verification link emailed to "admin@scanned.example.com"
      When the admin confirms their email address from the link emailed to "admin@scanned.example.com"
      Then the email address is confirmed
      And the account of "admin@scanned.example.com" is active

  Rule: Only someone with an email address at the company's domain, or one of its subdomains, may sign the domain up

    @critical
    Scenario Outline: A sign-up of "acme.example.com" by <whose address> is refused
      When someone signs up as "Acme Corp" with the domain "acme.example.com" and the admin email "<email>"
      Then sign-up is refused, telling them "Use an email address at acme.example.com or one of its subdomains"
      And nobody has signed up

      Examples:
        | whose address                                        | email                             |
        | an address at another domain                         | squatter@mail.example.net         |
        | an address at a domain that only ends the same way   | admin@notacme.example.com         |
        | an address at a domain that only begins the same way | admin@acme.example.com.evil.test  |
        | an address at the domain's parent                    | admin@example.com                 |
        | an address at a look-alike domain                    | admin@acme-corp.example.com       |

    @critical
    Scenario Outline: A sign-up of "acme.example.com" by <whose address> is taken
      When someone signs up as "Acme Corp" with the domain "acme.example.com" and the admin email "<email>"
      Then they are asked to verify their email address
      And "acme.example.com" is a tenant named "Acme Corp" waiting for its admin "<email>" to confirm their email

      Examples:
        | whose address                           | email                  |
        | an address at the domain                | admin@acme.example.com |
        | an address at a subdomain of the domain | it@eu.acme.example.com |

  Rule: A sign-up not confirmed within 24 hours no longer holds its domain or its admin's address: the next sign-up takes them

    @critical
    Scenario: A domain whose sign-up has waited 24 hours and 1 minute goes to the next sign-up
      Given "Squat Co" signed up as "claimed.example.com" with the admin "first@claimed.example.com", 24 hours and 1 minute ago
      When someone signs up as "Claimed Inc" with the domain "claimed.example.com" and the admin email "owner@claimed.example.com"
      Then they are asked to verify their email address
      And "claimed.example.com" is a tenant named "Claimed Inc" waiting for its admin "owner@claimed.example.com" to confirm their email
      And nothing is left of the sign-up of "first@claimed.example.com"

    @critical
    Scenario: A domain whose sign-up has waited 23 hours and 59 minutes is still held
      Given "Squat Co" signed up as "held.example.com" with the admin "first@held.example.com", 23 hours and 59 minutes ago
      When someone signs up as "Held Inc" with the domain "held.example.com" and the admin email "owner@held.example.com"
      Then sign-up is refused, telling them "This domain is already registered."
      And nobody has signed up

    @critical
    Scenario: An address whose sign-up has waited 24 hours and 1 minute may sign up another domain
      Given "Old Co" signed up as "retry.example.com" with the admin "jo@eu.retry.example.com", 24 hours and 1 minute ago
      When someone signs up as "Retry EU" with the domain "eu.retry.example.com" and the admin email "jo@eu.retry.example.com"
      Then they are asked to verify their email address
      And "eu.retry.example.com" is a tenant named "Retry EU" waiting for its admin "jo@eu.retry.example.com" to confirm their email
      And nothing is left of the sign-up of "retry.example.com"

  Rule: A usage report over 16 KB is refused before it is read, and billing keeps nothing of it

    @critical
    Scenario: A report that announces 20 MB is refused before any of it is sent
      When the metering client of "metered.example.com" announces a usage report of 20 MB and sends none of it yet
      Then the report is refused as too large, without waiting for its body
      And billing keeps no reading of "metered.example.com"

    @critical
    Scenario: A report that does not announce its length is refused once 16 KB of it have come
      When the metering client of "metered.example.com" sends the first 20 KB of a usage report without announcing its length
      Then the report is refused as too large, without waiting for its body
      And billing keeps no reading of "metered.example.com"

    @critical
    Scenario: A report of 20 MB with a made-up key is refused for its key before any of it is sent
      When a stranger announces a usage report of 20 MB for "metered.example.com" with a made-up key
      Then the report is refused as coming from no known key, without waiting for its body
      And billing keeps no reading of "metered.example.com"

    @critical
    Scenario Outline: A report of exactly 16 KB is read and taken, <how>
      When the metering client of "metered.example.com" sends a report of 250 API calls padded to exactly 16 KB, <how>
      Then the report is taken
      And billing keeps one reading of 250 API calls of "metered.example.com"

      Examples:
        | how                            |
        | announcing its length          |
        | without announcing its length  |

    @critical
    Scenario Outline: A report of 16 KB and 1 byte is refused, <how>
      When the metering client of "metered.example.com" sends a report of 250 API calls padded to exactly 16 KB and 1 byte, <how>
      Then the report is refused as too large
      And billing keeps no reading of "metered.example.com"

      Examples:
        | how                            |
        | announcing its length          |
        | without announcing its length  |

  Rule: One reading counts at most a billion, so a day's readings always add up, even those kept from before that cap

    @critical
    Scenario Outline: A reading of <amount> API calls is refused, and keeps the sum within reach
      When the metering client of "metered.example.com" reports <amount> API calls dated today at 09:00
      Then the reading is refused because it "is too large"
      And billing keeps no reading of "metered.example.com"

      Examples:
        | amount                                            |
        | the largest count billing can store               |
        | one more than the largest count billing can store |

    @critical
    Scenario: Two readings kept from before the cap, each the largest count billing can store, add up on the usage page
      Given billing keeps, from before the cap, 2 readings of "legacy.example.com" of today, each of the largest count billing can store
      When "billing@legacy.example.com" opens the usage page
      Then the usage page shows 18,446,744,073,709,551,614 API calls today, 0 GB of storage and a peak of 0 active users

  Rule: A reading dated on a day before the tenant's account was created, or on a day that cannot be billed, is refused with the reason

    @critical
    Scenario Outline: A reading of <tenant> dated <when> is refused
      When the metering client of "<tenant>" reports 250 API calls dated <when>
      Then the reading is refused because it "<reason>"
      And billing keeps no reading of "<tenant>"

      Examples:
        | tenant              | when                        | reason                                     |
        | fresh.example.com   | 3 days ago                  | falls on a day before the tenant's account was created |
        | metered.example.com | "0001-01-01T00:00:00Z"      | is more than 35 days ago                   |
        | metered.example.com | "0001-01-01T00:00:00+14:00" | is more than 35 days ago                   |
        | metered.example.com | "9999-12-31T23:59:59Z"      | falls on a day after today                 |
        | metered.example.com | "9999-12-31T23:59:59-12:00" | falls on a day after today                 |

    @critical
    Scenario Outline: A reading of a tenant dated <when>, on or after the day its account was created, is taken
      When the metering client of "fresh.example.com" reports 250 API calls dated <when>
      Then the reading is taken
      And billing keeps exactly that reading of "fresh.example.com"

      Examples:
        | when       |
        | 2 days ago |
        | 1 day ago  |

  Rule: A usage report whose JSON billing will not decode is refused with the reason, never with a server error

    @critical
    Scenario Outline: A report <what> is refused
      When the metering client of "metered.example.com" sends a usage report <what>
      Then the reading is refused because it "<reason>"
      And billing keeps no reading of "metered.example.com"

      Examples:
        | what                                                 | reason                               |
        | nested 5,000 levels deep                             | nests JSON deeper than 16 levels     |
        | nested 17 levels deep                                | nests JSON deeper than 16 levels     |
        | nested 16 levels deep                                | must be an ISO-8601 timestamp string |
        | whose value has 5,000 digits                         | has a number of more than 30 digits  |
        | whose value has 31 digits                            | has a number of more than 30 digits  |
        | whose value has 30 digits                            | is too large                         |
        | whose date is a text of 20 brackets after a quote    | must be an ISO-8601 timestamp        |
        | whose date is a text of 20 brackets after a space    | must be an ISO-8601 timestamp        |
        | nested 17 levels deep after a text with quotes in it | nests JSON deeper than 16 levels     |
        | whose date holds 20 empty lists side by side         | must be an ISO-8601 timestamp string |
        | nested 17 levels deep after an empty list beside it  | nests JSON deeper than 16 levels     |
        | that is cut off before its end                       | must be valid JSON                   |
        | written in Latin-1 instead of UTF-8                  | must be valid JSON in UTF-8          |

  Rule: A change of display name is read only up to 4 KB, and only as JSON in UTF-8: a larger or unreadable one is refused, and the name stays as it was

    @critical
    Scenario Outline: A change of display name of exactly 4 KB is read and taken, <how>
      Given "admin@bravo.example.com" has signed in to the platform
      When their browser sends a change of their display name to "Bea", padded to exactly 4 KB, <how>
      Then the change is taken
      And the platform knows them as "Bea", changed exactly once

      Examples:
        | how                           |
        | announcing its length         |
        | without announcing its length |

    @critical
    Scenario Outline: A change of display name of 4 KB and 1 byte is refused, <how>
      Given "admin@bravo.example.com" has signed in to the platform
      When their browser sends a change of their display name to "Bea", padded to exactly 4 KB and 1 byte, <how>
      Then the change is refused as too large
      And the platform still knows them as "Beatrice Brown", with no change applied

      Examples:
        | how                           |
        | announcing its length         |
        | without announcing its length |

    @critical
    Scenario: A change of display name written in Latin-1 instead of UTF-8 is refused as not JSON
      Given "admin@bravo.example.com" has signed in to the platform
      When their browser sends a change of their display name to "Zoë" written in Latin-1
      Then the change is refused because "The body must be valid JSON."
      And the platform still knows them as "Beatrice Brown", with no change applied

    @critical
    Scenario: A change of a field the platform does not have is refused
      Given "admin@bravo.example.com" has signed in to the platform
      When their browser sends a change of their nickname to "Bea", a field the platform does not have
      Then the change is refused because "The body must be {"display_name": "..."}."
      And the platform still knows them as "Beatrice Brown", with no change applied

    @critical
    Scenario: A change of display name sent as JSON naming its character set is taken
      Given "admin@bravo.example.com" has signed in to the platform
      When their browser sends a change of their display name to "Bea" saying it is JSON in UTF-8
      Then the change is taken
      And the platform knows them as "Bea", changed exactly once

    @critical
    Scenario Outline: A change of display name sent <how> is refused
      Given "admin@bravo.example.com" has signed in to the platform
      When their browser sends a change of their display name to "Bea" <how>
      Then the change is refused as not sent as JSON
      And the platform still knows them as "Beatrice Brown", with no change applied

      Examples:
        | how                         |
        | without saying it is JSON   |
        | saying it is plain text     |

  Rule: A person with no profile yet cannot give themselves a display name: they are told so, and no profile is made

    @normal
    Scenario: A member who has no profile changes their display name and is told they have none
      Given "member@alpha.example.com" has signed in to the platform
      When they change their display name to "Al"
      Then they are told "This account has no profile to change yet."
      And "member@alpha.example.com" still has no profile, and no change of theirs is kept

  # Rules of the shared platform (app/platform), as the SaaS platform shows them. Reached by
  # pytest, not by a browser (tests/app/test_platform_security_defences.py): a client address
  # that has failed 100 sign-ins within 10 minutes is refused whatever the account
  # (test_one_address_spraying_many_accounts_is_stopped); the usage API, called with its key
  # in a header and no cookie, needs no CSRF token, while the same call with a session cookie
  # does (test_json_without_a_session_cookie_needs_no_token_but_with_one_it_does); the access
  # log holds no query string, so no verification token
  # (test_the_access_log_keeps_no_query_string).

  Rule: A password guessed wrong five times in a row locks the account for fifteen minutes, even against the right password

    Scenario: Five wrong passwords in a row lock the operator out, and the right one is then refused with the same words
      When "ops@platform.example.com" signs in with a wrong password 5 times in a row
      Then "ops@platform.example.com" is locked for 15 minutes from the last wrong password
      When "ops@platform.example.com" signs in with their right password
      Then sign-in is refused with the words a wrong password gets, and no session starts

    Scenario: A tenant's admin locked out fourteen minutes ago is still refused
      Given "admin@alpha.example.com" signed in with a wrong password 5 times in a row
      When the lock on "admin@alpha.example.com" has lasted 14 minutes
      And "admin@alpha.example.com" signs in with their right password
      Then sign-in is refused with the words a wrong password gets, and no session starts

    Scenario: Fifteen minutes later the lock is over and the tenant's admin signs in
      Given "admin@alpha.example.com" signed in with a wrong password 5 times in a row
      When the lock on "admin@alpha.example.com" has lasted 15 minutes
      And "admin@alpha.example.com" signs in with their right password
      Then they are signed in

  Rule: Only someone who manages the organisation's billing changes whether its invoices are emailed, even with a request sent by hand

    Scenario: A team member who sends the choice to stop invoice emails by hand is refused, and invoices are still emailed
      Given "member@alpha.example.com" has signed in to the platform
      When they send straight the choice to stop invoice emails
      Then they are told that only administrators can change whether invoices are emailed
      And "alpha.example.com" still has its invoices emailed, as no one chose otherwise

  Rule: A request sent from another site changes nothing

    Scenario: A page on another site cannot suspend a tenant through the operator's browser
      Given "ops@platform.example.com" is signed in to the operators' console
      When they follow the link "Suspend"
      And a page on another site submits the "Suspend tenant" form of the page they have open, with:
        | field  | value                     |
        | Reason | Suspended by another site  |
      Then the app refuses the request from the other site
      And nothing the app keeps in Spanner has changed

    Scenario: A page on another site cannot reinstate a suspended tenant
      Given "ops@platform.example.com" is signed in to the operators' console
      When a page on another site submits the "Reinstate" form of the page they have open
      Then the app refuses the request from the other site
      And nothing the app keeps in Spanner has changed

    Scenario: A page on another site cannot sign the browser in to someone else's account
      When a page on another site signs their browser in as "admin@alpha.example.com"
      Then the app refuses the request from the other site
      And no session starts

  Rule: Every page tells the browser to keep it private and unframed

    Scenario: Every page of the operators' console forbids framing, type guessing and caching
      Given "ops@platform.example.com" is signed in to the operators' console
      When they visit every page they can reach from the page they have open
      Then every page forbids framing, type guessing and caching, and names no server software

    Scenario: Every page a tenant's admin reaches from the dashboard forbids framing, type guessing and caching
      Given "admin@alpha.example.com" has signed in to the platform
      When they visit every page they can reach from the page they have open
      Then every page forbids framing, type guessing and caching, and names no server software

  Rule: Only a platform operator lifts a sign-in lock before its fifteen minutes are over, and each unlock is recorded with the operator's name

    Scenario: An operator unlocks a locked tenant's administrator, who then signs in with the right password at once
      Given "admin@alpha.example.com" signed in with a wrong password 5 times in a row
      And "ops@platform.example.com" is signed in to the operators' console
      When they unlock the sign-in of "admin@alpha.example.com"
      Then the console says the sign-in of "admin@alpha.example.com" is unlocked, and no longer lists it as locked
      And Spanner keeps no lock or wrong password of "admin@alpha.example.com", and records that "ops@platform.example.com" unlocked it
      When "admin@alpha.example.com" signs in with their right password
      Then they are signed in

    Scenario: An operator unlocking a person the tenant does not have is told there is no such person
      Given "ops@platform.example.com" is signed in to the operators' console
      When they send straight the unlocking of a person "alpha.example.com" does not have
      Then the console answers that there is no such person: "Person not found."

    Scenario: A tenant's administrator cannot unlock a person of their own tenant
      Given "member@alpha.example.com" signed in with a wrong password 5 times in a row
      And "admin@alpha.example.com" has signed in to the platform
      When they send straight the unlocking of "member@alpha.example.com"
      Then they are sent to the sign-in page, and no console is shown
      And the sign-in of "member@alpha.example.com" is still locked, and no unlock of it is recorded
