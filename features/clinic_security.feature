@product.clinic @security
Feature: The clinic's defences: every look at a patient audited, sessions that end, and guessing that stops
  The clinic holds patients' records, so it keeps to HIPAA's audit controls and automatic
  logoff and to OWASP ASVS level 2. Each rule below is proven where it lives: what the provider
  sees, and what the clinic's and the audit log's databases hold afterwards. Attacks are real
  requests: wrong passwords and codes sent again and again, a prescription sent straight to
  signing without its page, an old session token sent again.

  The numbers are the clinic's settings, with these defaults: 15 minutes idle end a session
  (APP_SESSION_IDLE_MINUTES); 5 wrong codes lock the second factor for 15 minutes, and a second
  lock with no accepted code in between blocks it until an administrator unlocks it
  (python -m app.clinic.unlock); 5 wrong passwords in a row at the signing form lock signing
  for 15 minutes (CLINIC_SIGNING_MAX_WRONG_PASSWORDS, CLINIC_SIGNING_LOCK_MINUTES).

  The signing key is wrapped with argon2id (19 MiB, 2 passes) and AES-256-GCM; a wrapping of
  lower cost signs nothing, and a key kept the earlier way is wrapped anew the first time it
  signs: healthcare.feature tells it, where prescriptions are signed.

  Where a browser cannot reach, pytest tells the rule (tests/app/clinic_tests/):
  - an administrator's unlock of a blocked second factor is audited before it is written
    (test_clinic_security.py);
  - tries at the signing form sent at the same moment are all counted (test_clinic_security.py);
  - a session idle for the timeout to the very second ends, and its logoff is audited
    (test_clinic_security.py: Spanner's clock moves on between a scenario's write and its
    request);
  - a session signed out elsewhere while its code is checked is not verified, and the answer
    leads to the sign-in page (test_clinic_security.py: the two must race);
  - the signing form's two settings are taken from 1 to their most (100 wrong passwords, 1440
    minutes: a day), and one past either end is refused at start-up (test_clinic_security.py).

  Rule: Every page that shows a patient's data writes its audit entry before it is sent

    Scenario: Walking every page of a patient's data leaves one audit entry per page, in order
      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      When they open every page that shows John Patient's data:
        | page                                   |
        | search for the name                    |
        | open the record                        |
        | open the earlier visit                 |
        | open the earlier visit's prescriptions |
      Then each page showed John Patient's data
      And the audit log of John Patient with them holds one entry per page, in this order, each completed and with the client's IP address:
        | what                        | about             |
        | a listing in a search       | the patient       |
        | a look at the record        | the patient       |
        | a look at the visit         | the earlier visit |
        | a look at the prescriptions | the earlier visit |

    Scenario Outline: With the audit log unwritable, "<place>" of John Patient shows nothing
      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      And the clinic's audit log cannot be written
      When they <place> of John Patient
      Then the clinic answers "The access could not be recorded in the audit log, so it is not shown."
      And the answer shows nothing of John Patient's record

      Examples:
        | place                                  |
        | search for the name                    |
        | open the record                        |
        | open the earlier visit                 |
        | open the earlier visit's prescriptions |

    Scenario: A search audits which patients it listed, and only those
      Johanna Keen is in Dr. Smith's care too; John Former's care has ended and Johnny Later's
      has not begun: their names hold "Jo" but the search does not list them.

      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      When they search for the patient "Jo"
      Then the search lists exactly John Patient and Johanna Keen
      And the audit log holds the search for "Jo", then a listing of each of John Patient and Johanna Keen, and of no other patient
      And the audit log numbers each request's entries from 1, with no gap

  Rule: Refused sign-ins, the lock they lead to, and sign-outs are audited

    Scenario: A wrong password is audited as a refused sign-in of that provider
      When "dr.smith@hospital.com" tries to sign in to the clinic with a wrong password
      Then sign-in is refused with "Incorrect email or password."
      And the audit log of what they did holds, in this order, exactly:
        | what              | about |
        | a refused sign-in |       |
      And the audit log says why their sign-in was refused: "wrong password or account not active"

    Scenario: With the audit log unwritable, a wrong password is still refused as any other
      Given the clinic's audit log cannot be written
      When "dr.smith@hospital.com" tries to sign in to the clinic with a wrong password
      Then sign-in is refused with "Incorrect email or password."

    Scenario: Wrong passwords again and again lock the sign-in, and the lock is audited
      When "dr.smith@hospital.com" tries to sign in to the clinic 5 times with a wrong password
      Then the audit log of what they did holds, in this order, exactly:
        | what                    | about |
        | a refused sign-in       |       |
        | a refused sign-in       |       |
        | a refused sign-in       |       |
        | a refused sign-in       |       |
        | a refused sign-in       |       |
        | the lock of the sign-in |       |

    Scenario: Signing out is audited, and ends the session
      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      When they sign out
      Then the audit log of what they did holds, in this order, exactly:
        | what             | about |
        | an accepted code |       |
        | a sign-out       |       |
      And "dr.smith@hospital.com" has no session in the clinic

  Rule: An address whose patient id is not one the clinic writes is no page of the clinic

    Scenario: A record's address with a character the clinic never writes in its ids is no such page, and no access is audited
      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      When they open John Patient's record at an address with "!" added to their id
      Then the clinic answers that there is no such page: "Page not found."
      And the answer shows nothing of John Patient's record
      And the audit log of what they did holds, in this order, exactly:
        | what             | about |
        | an accepted code |       |

  Rule: Passing the second factor gives the browser a new session token; the token from before opens nothing

    Scenario: The token from before the code no longer opens the clinic
      Given "dr.smith@hospital.com" has signed in to the clinic with their password
      And the clinic has given their browser a session token
      When they enter the current code of their authenticator app
      Then the code is accepted and they reach the patient search
      And their browser holds a new session token
      And the clinic holds one session of theirs, with both factors, and none under the token from before
      And the token from before opens no patient page: the patient search asks to sign in

  Rule: A second lock of the second factor with no accepted code in between blocks it until an administrator unlocks it

    Scenario: The wrong code that would lock the second factor a second time blocks it
      Given the second factor of "dr.smith@hospital.com" was locked once since their last accepted code, the lock is over, and they have entered 4 wrong codes since
      And "dr.smith@hospital.com" has signed in to the clinic with their password
      When they enter a wrong code
      Then the code is refused: "Too many wrong codes again: the second factor is blocked until an administrator unlocks it."
      And the audit log of their second factor holds, in this order, exactly:
        | what                           | reason |
        | a refused code                 | wrong  |
        | the block of the second factor |        |
      And their second factor is blocked, with no end
      And no patient page opens for them: the patient search asks for the second factor

    Scenario: A blocked second factor refuses even the current code, days later
      Given the second factor of "dr.smith@hospital.com" was blocked 3 days ago
      And "dr.smith@hospital.com" has signed in to the clinic with their password
      When they enter the current code of their authenticator app
      Then the code is refused: "Too many wrong codes again: the second factor is blocked until an administrator unlocks it."
      And the audit log of their second factor holds, in this order, exactly:
        | what           | reason  |
        | a refused code | blocked |
      And no patient page opens for them: the patient search asks for the second factor

    Scenario: Once the lock the wrong codes set is over, four more wrong codes do not block the second factor, and the fifth does
      Given "dr.smith@hospital.com" has signed in to the clinic with their password
      When they enter 5 wrong codes in a row
      Then the second factor is locked for 15 minutes: "Too many wrong codes: the second factor is locked for 15 minutes."
      When the lock the clinic set on their second factor is over
      And they enter 4 wrong codes in a row
      Then the code is refused: "That code is not valid. Enter the current code from your authenticator app."
      When they enter a wrong code
      Then the code is refused: "Too many wrong codes again: the second factor is blocked until an administrator unlocks it."
      And their second factor is blocked, with no end

    Scenario: An accepted code after a lock starts the count of locks again
      Given the second factor of "dr.smith@hospital.com" was locked once since their last accepted code, the lock is over, and they have entered 4 wrong codes since
      And "dr.smith@hospital.com" has signed in to the clinic with their password
      When they enter the current code of their authenticator app
      Then the code is accepted and they reach the patient search
      And their second factor counts no wrong code and no lock any more

  Rule: Five wrong passwords in a row at the signing form lock signing for 15 minutes, even for the right password

    Background:
      Given the clinic holds a visit of John Patient with Dr. Alice Smith, with no prescription yet
      And "dr.smith@hospital.com" has signed in to the clinic with both factors

    Scenario: Four prescriptions sent straight to signing with wrong passwords lock nothing: the right password still signs
      When they send a prescription straight to signing at that visit 4 times, each with a wrong password
      And they send it once more, with their password
      Then the visit holds exactly one prescription, with their signature
      And the audit log of John Patient with them holds 4 refusals to sign, and no lock of signing

    Scenario: The fifth wrong password locks signing, and the right password then signs nothing
      When they send a prescription straight to signing at that visit 5 times, each with a wrong password
      And they send it once more, with their password
      Then the last answer is "Too many wrong passwords: signing is locked for 15 minutes."
      And the visit still has no prescription
      And the audit log of John Patient with them holds 6 refusals to sign, the last because signing is locked
      And the audit log of what they did holds the lock of signing once
      And signing is locked for them until 15 minutes from now

    Scenario: A signature starts the count again: after it, four wrong passwords lock nothing and the right password signs
      When they send a prescription straight to signing at that visit 4 times, each with a wrong password
      And they send it once more, with their password
      And they send a prescription straight to signing at that visit 4 times, each with a wrong password
      And they send it once more, with their password
      Then the visit holds exactly 2 prescriptions, each with their signature

    Scenario: A signature starts the count again: after it, the fifth wrong password in a row locks signing
      When they send a prescription straight to signing at that visit 4 times, each with a wrong password
      And they send it once more, with their password
      And they send a prescription straight to signing at that visit 5 times, each with a wrong password
      And they send it once more, with their password
      Then the last answer is "Too many wrong passwords: signing is locked for 15 minutes."
      And the visit holds exactly one prescription, with their signature

    Scenario: Once the lock of signing is over, the right password signs again
      Given their signing was locked, and the lock ended a minute ago
      When they send a prescription straight to signing at that visit, with their password
      Then the visit holds exactly one prescription, with their signature

    Scenario: The lock of signing starts the count again: once it is over, four more wrong passwords lock nothing
      When they send a prescription straight to signing at that visit 5 times, each with a wrong password
      And the lock the clinic set on their signing is over
      And they send a prescription straight to signing at that visit 4 times, each with a wrong password
      And they send it once more, with their password
      Then the visit holds exactly one prescription, with their signature
      And the audit log of what they did holds the lock of signing once

    Scenario: Once the lock of signing is over, the fifth wrong password in a row locks it again
      When they send a prescription straight to signing at that visit 5 times, each with a wrong password
      And the lock the clinic set on their signing is over
      And they send a prescription straight to signing at that visit 5 times, each with a wrong password
      And they send it once more, with their password
      Then the last answer is "Too many wrong passwords: signing is locked for 15 minutes."
      And the visit still has no prescription
      And signing is locked for them until 15 minutes from now

  Rule: A provider's session idle for 15 minutes ends: the provider signs in again

    Scenario: Idle for 14 minutes, the provider goes on where they were
      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      And their session has been idle for 14 minutes
      When they type the address of the patient search
      Then the patient search opens
      And no automatic sign-out of them is audited

    Scenario: Idle for 14 minutes and 50 seconds, the provider goes on, and no automatic sign-out is audited
      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      And their session has been idle for 14 minutes and 50 seconds
      When they type the address of the patient search
      Then the patient search opens
      And no automatic sign-out of them is audited

    Scenario: Idle for exactly 15 minutes, the provider signs in again, and the automatic sign-out is audited
      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      And their session has been idle for 15 minutes
      When they type the address of the patient search
      Then the clinic has signed them out for being idle: it asks them to sign in again
      And the audit log of what they did holds, in this order, exactly:
        | what                            | about |
        | an accepted code                |       |
        | an automatic sign-out when idle |       |

    Scenario: Idle for 16 minutes, the provider signs in again, and the automatic sign-out is audited
      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      And their session has been idle for 16 minutes
      When they type the address of the patient search
      Then the clinic has signed them out for being idle: it asks them to sign in again
      And "dr.smith@hospital.com" has no session in the clinic
      And the audit log of what they did holds, in this order, exactly:
        | what                            | about |
        | an accepted code                |       |
        | an automatic sign-out when idle |       |
      And the automatic sign-out is audited with why: "idle for 16 minutes, more than 15"

    Scenario: Idle for 16 minutes while the audit log cannot be written, the session ends all the same
      Ending a session never waits on the audit log: the clinic notes the sign-out it could not
      audit in its own log, and signs the provider out.

      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      And their session has been idle for 16 minutes
      And the clinic's audit log cannot be written
      When they type the address of the patient search
      Then the clinic has signed them out for being idle: it asks them to sign in again
      And "dr.smith@hospital.com" has no session in the clinic

  # Rules of the shared platform (app/platform), as the clinic shows them. Reached by pytest,
  # not by a browser (tests/app/test_platform_security_defences.py): a client address that has
  # failed 100 sign-ins within 10 minutes is refused whatever the account
  # (test_one_address_spraying_many_accounts_is_stopped); the audit's client address cannot be
  # forged with X-Forwarded-For unless its sender is a trusted proxy (APP_TRUSTED_PROXIES,
  # none by default: test_forwarded_for_is_not_believed_by_default); the access log holds no
  # query string, so no searched name (test_the_access_log_keeps_no_query_string).

  Rule: A password guessed wrong five times in a row locks the account for fifteen minutes, even against the right password

    Scenario: Five wrong passwords in a row lock the provider out, and the right one is then refused with the same words
      When "dr.jones@hospital.com" signs in with a wrong password 5 times in a row
      Then "dr.jones@hospital.com" is locked for 15 minutes from the last wrong password
      When "dr.jones@hospital.com" signs in with their right password
      Then sign-in is refused with the words a wrong password gets, and no session starts

    Scenario: Fifteen minutes later the lock is over, and the right password leads on to the second factor
      Given "dr.jones@hospital.com" signed in with a wrong password 5 times in a row
      When the lock on "dr.jones@hospital.com" has lasted 15 minutes
      And "dr.jones@hospital.com" signs in with their right password
      Then they are signed in

  Rule: A request sent from another site changes nothing

    Scenario: A page on another site cannot record a visit in the provider's name
      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      When they search for the patient "John"
      And they open John Patient's record from the results
      And they follow the link "New visit"
      And a page on another site submits the "Save visit" form of the page they have open, with:
        | field                | value                            |
        | Reason for the visit | Follow-up the provider never saw |
        | Diagnosis            | Made up by another site          |
        | Treatment plan       | None                             |
      Then the app refuses the request from the other site
      And nothing the app keeps in Spanner has changed

    Scenario: A page on another site cannot sign the browser in to a provider's account
      When a page on another site signs their browser in as "dr.smith@hospital.com"
      Then the app refuses the request from the other site
      And no session starts

  Rule: Every page tells the browser to keep it private and unframed

    Scenario: Every page a provider reaches from a patient's record forbids framing, type guessing and caching
      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      When they search for the patient "John"
      And they open John Patient's record from the results
      And they visit every page they can reach from the page they have open
      Then every page forbids framing, type guessing and caching, and names no server software
