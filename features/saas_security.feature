@product.saas @security
Feature: The SaaS platform's defences against guessing, forged requests and framing
  Tenant users and the platform's operators sign in with a password alone, and an operator can
  suspend any tenant, so guessing passwords must stop, and no other site may make a signed-in
  browser act. Each rule is proven where it lives: what the person sees, and what the users and
  billing databases hold. Attacks are real requests: wrong passwords through the sign-in page,
  a page on another site submitting a form in the person's own browser.

  The numbers are the platform's settings, with these defaults: 5 wrong passwords in a row
  (APP_LOGIN_FAILURES_BEFORE_LOCK) lock an account for 15 minutes (APP_LOGIN_LOCK_MINUTES);
  one client address may fail 100 sign-ins within 10 minutes (APP_LOGIN_FAILURES_PER_ADDRESS).

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
