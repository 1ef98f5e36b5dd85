@product.clinic
Feature: Patient records with a second factor, signed prescriptions and an audit trail
  A provider signs in with their password and then with the current code of their
  authenticator app, finds a patient in their care, records a visit and prescribes, signing the
  prescription with their password. The audit log, a database of its own, tells every look at
  a patient's record and every change: what, about whom, by whom, from which address, in the
  order it happened. The rules below keep patient records to the providers who care for them,
  and signed prescriptions as they were signed.

  "Every page and form of a patient" is, throughout: the search by name, the record (summary
  and medical history), the new-visit form and its sending, the earlier visit's page, its
  prescriptions, its prescription form and its sending, signing a prescription at it, and a
  change of its prescription. A form is also sent as a hand-made request would send it,
  without the page that holds it.

  Where a browser cannot reach, pytest tells the rule (tests/app/clinic_tests/):
  - a change's audit entry is an intent written before the record, settled after it, and
    settled by reconcile when the app stopped in between (test_clinic_audit.py: the app must
    be stopped between two writes);
  - two requests cannot both use one code (test_clinic_mfa.py: the two must race);
  - the audit entry's address is the connection's peer, not a forwarded header the client
    writes (test_clinic_audit.py: the browser reaches the app from one address only).

  Rule: Only an active provider with the right password gets as far as the second factor

    @critical
    Scenario Outline: A wrong password or a disabled account is refused, and starts no session
      Given the clinic account of "<email>" is <state>
      When "<email>" tries to sign in to the clinic with <password>
      Then sign-in is refused with "Incorrect email or password."
      And "<email>" has no session in the clinic

      Examples:
        | email                 | state    | password         |
        | dr.smith@hospital.com | active   | a wrong password |
        | dr.gray@hospital.com  | disabled | their password   |

    @critical
    Scenario: The right password of an active provider leads to the second factor
      When "dr.smith@hospital.com" signs in to the clinic with their password
      Then they are asked for a second factor

    @critical
    Scenario: A provider whose account is disabled while signed in is signed out
      Given "dr.jones@hospital.com" has signed in to the clinic with both factors
      And the clinic has disabled the account of "dr.jones@hospital.com"
      When they type the address of the patient search
      Then the clinic asks them to sign in again

  Rule: Every page and form of a patient needs both factors: the password and the current code

    Background:
      Given "dr.smith@hospital.com" has signed in to the clinic with their password

    @critical
    Scenario Outline: With the password only, "<place>" leads to the second factor and shows nothing
      When they <place> of John Patient
      Then the clinic leads them to the second factor
      And the answer shows nothing of John Patient's record
      And nothing is audited as viewed
      And nothing is written in John Patient's record

      Examples:
        | place                                      |
        | search for the name                        |
        | open the record                            |
        | open the new-visit form                    |
        | send the new-visit form                    |
        | open the earlier visit                     |
        | open the earlier visit's prescriptions     |
        | open the earlier visit's prescription form |
        | send the earlier visit's prescription form |
        | sign a prescription at the earlier visit   |
        | change the earlier visit's prescription    |

    @critical
    Scenario: The current code of their authenticator app opens the patient search
      When they enter the current code of their authenticator app
      Then the code is accepted and they reach the patient search
      And the audit log holds their accepted code

  Rule: A code is accepted only from the provider's own app, in its 30-second step or one step either side, and once

    @critical
    Scenario Outline: <code> is refused, audited, and opens no patient page
      An authenticator app shows a new code every 30 seconds (a step). A code of up to ten steps
      back is told apart as expired; an older one, or one more than a step ahead, is just
      wrong. The current code in other digits reads the same to a person, not to the clinic.

      Given "dr.smith@hospital.com" signed in to the clinic earlier with both factors, and signed out
      And they have signed in to the clinic again with their password
      When they enter <code>
      Then the code is refused: "That code is not valid. Enter the current code from your authenticator app."
      And the audit log holds their refused code, because the code is "<reason>"
      And no patient page opens for them: the patient search asks for the second factor

      Examples:
        | code                                             | reason  |
        | a wrong code                                     | wrong   |
        | the code of 2 steps ago                          | expired |
        | the code of 10 steps ago                         | expired |
        | the code of 11 steps ago                         | wrong   |
        | the code of 2 steps ahead                        | wrong   |
        | the code of the next step in Arabic-Indic digits | wrong   |
        | the code they signed in with earlier             | reused  |

    @critical
    Scenario: A code older than the last one accepted is refused, even within a step of drift
      The code of the next step is accepted, and it is then the last one used: the current
      code, older than it, no longer works.

      Given "dr.smith@hospital.com" signed in to the clinic earlier with the code of the next step, and signed out
      And they have signed in to the clinic again with their password
      When they enter the current code of their authenticator app
      Then the code is refused: "That code is not valid. Enter the current code from your authenticator app."
      And the audit log holds their refused code, because the code is "reused"
      And no patient page opens for them: the patient search asks for the second factor

    @critical
    Scenario: A provider without an authenticator app gets no further than the second factor, whatever code they type
      Given the clinic holds no authenticator app of "dr.new@hospital.com"
      And "dr.new@hospital.com" has signed in to the clinic with their password
      When they enter the code "123456"
      Then the code is refused: "That code is not valid. Enter the current code from your authenticator app."
      And the audit log holds their refused code, because the code is "wrong"
      And no patient page opens for them: the patient search asks for the second factor

    @critical
    Scenario Outline: The code of the step before or after the current one is accepted: one step of clock drift
      Given "dr.smith@hospital.com" has signed in to the clinic with their password
      When they enter <code>
      Then the code is accepted and they reach the patient search
      And the audit log holds their accepted code

      Examples:
        | code                          |
        | the code of the previous step |
        | the code of the next step     |

  Rule: Five wrong codes in a row lock the second factor for 15 minutes, and a locked factor refuses every code

    @critical
    Scenario: A fourth wrong code in a row is refused, and does not lock
      Given "dr.lee@hospital.com" has entered 3 wrong codes in a row
      And "dr.lee@hospital.com" has signed in to the clinic with their password
      When they enter a wrong code
      Then the code is refused: "That code is not valid. Enter the current code from your authenticator app."
      And their second factor is not locked

    @normal
    Scenario: An accepted code starts the count of wrong codes again
      Given "dr.lee@hospital.com" has entered 4 wrong codes in a row
      And "dr.lee@hospital.com" has signed in to the clinic with their password
      When they enter the current code of their authenticator app
      Then the code is accepted and they reach the patient search
      And their second factor counts no wrong code any more

    @critical
    Scenario: A fifth wrong code in a row locks the second factor for 15 minutes
      Given "dr.lee@hospital.com" has entered 4 wrong codes in a row
      And "dr.lee@hospital.com" has signed in to the clinic with their password
      When they enter a wrong code
      Then the second factor is locked for 15 minutes: "Too many wrong codes: the second factor is locked for 15 minutes."
      And the audit log of their second factor holds, in this order, exactly:
        | what                          | reason |
        | a refused code                | wrong  |
        | the lock of the second factor |        |
      And no patient page opens for them: the patient search asks for the second factor

    @critical
    Scenario: While the second factor is locked, even the current code is refused
      Given the second factor of "dr.lee@hospital.com" is locked until 14 minutes from now
      And "dr.lee@hospital.com" has signed in to the clinic with their password
      When they enter the current code of their authenticator app
      Then the code is refused: "Too many wrong codes: the second factor is locked for 15 minutes."
      And the audit log of their second factor holds, in this order, exactly:
        | what           | reason |
        | a refused code | locked |
      And the refusal adds no wrong code to the count
      And no patient page opens for them: the patient search asks for the second factor

    @normal
    Scenario: Once the lock is over, the current code is accepted
      Given the second factor of "dr.park@hospital.com" was locked, and the lock ended 1 minute ago
      And "dr.park@hospital.com" has signed in to the clinic with their password
      When they enter the current code of their authenticator app
      Then the code is accepted and they reach the patient search

  Rule: Each session of a provider needs its own second factor, and signing out ends only that session

    @critical
    Scenario: A code accepted in one session leaves the other session with the password only
      Given "dr.smith@hospital.com" has signed in to the clinic with their password
      And they have also signed in to the clinic with their password in a second browser
      When they enter the current code of their authenticator app
      Then the code is accepted and they reach the patient search
      And the second browser is still asked for a second factor at John Patient's record

    @critical
    Scenario: A session started after the second factor was given elsewhere does not inherit it
      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      And they have gone on in a second browser, where they signed in with their password only
      When they type the address of John Patient's record
      Then they are asked for a second factor

    @critical
    Scenario: The code accepted in one session is refused in the other
      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      And they have gone on in a second browser, where they signed in with their password only
      When they enter the code they signed in with earlier
      Then the code is refused: "That code is not valid. Enter the current code from your authenticator app."
      And the audit log holds their refused code, because the code is "reused"
      And no patient page opens for them: the patient search asks for the second factor

    @critical
    Scenario: Signing out in one browser ends that session only
      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      And they have gone on in a second browser, where they signed in with both factors
      When they sign out in the second browser
      Then the second browser's session is over: the patient search asks them to sign in
      And the first browser still opens the patient search

  Rule: A provider sees and changes only the records of the patients in their care, at every page and form

    Background:
      Given the clinic's care relationships include:
        | provider        | patient      | care              |
        | Dr. Alice Smith | John Patient | ongoing           |
        | Dr. Alice Smith | John Former  | ended 10 days ago |
        | Dr. Alice Smith | Johnny Later | starts in 5 days  |
        | Dr. Alice Smith | Joan Leaving | ends in 3 days    |
        | Dr. Ben Jones   | Jane Roe     | ongoing           |
      And "dr.smith@hospital.com" has signed in to the clinic with both factors

    @critical
    Scenario: The search lists the patients in the provider's care only: not an ended care, not one yet to start
      When they search for the patient "John"
      Then the search lists John Patient only

    @critical
    Scenario: A care with an end date still ahead holds: the search lists the patient
      When they search for the patient "Joan"
      Then the search lists Joan Leaving only

    @critical
    Scenario: A care with an end date still ahead holds: the record opens
      When they open the record of Joan Leaving
      Then the answer shows Joan Leaving's record

    @critical
    Scenario: The search lists no patient of another provider
      When they search for the patient "Jane"
      Then the search lists no patient

    @critical
    Scenario Outline: Outside their care, "<place>" of <patient> is refused, audited, and shows and writes nothing
      When they <place> of <patient>
      Then the clinic refuses it: "This patient is not in your care."
      And the answer shows nothing of <patient>'s record
      And nothing is written in <patient>'s record
      And the audit log of <patient> with them holds exactly a refused access, naming the address tried

      Examples: Another provider's patient, at the visit Dr. Ben Jones recorded
        | patient  | place                                      |
        | Jane Roe | open the record                            |
        | Jane Roe | open the new-visit form                    |
        | Jane Roe | send the new-visit form                    |
        | Jane Roe | open the earlier visit                     |
        | Jane Roe | open the earlier visit's prescriptions     |
        | Jane Roe | open the earlier visit's prescription form |
        | Jane Roe | send the earlier visit's prescription form |
        | Jane Roe | sign a prescription at the earlier visit   |
        | Jane Roe | change the earlier visit's prescription    |

      Examples: A patient whose care by them has ended, at the visit they recorded while it lasted
        | patient     | place                                      |
        | John Former | open the record                            |
        | John Former | open the new-visit form                    |
        | John Former | send the new-visit form                    |
        | John Former | open the earlier visit                     |
        | John Former | open the earlier visit's prescriptions     |
        | John Former | open the earlier visit's prescription form |
        | John Former | send the earlier visit's prescription form |
        | John Former | sign a prescription at the earlier visit   |
        | John Former | change the earlier visit's prescription    |

      Examples: A patient whose care by them has not started yet
        | patient      | place                   |
        | Johnny Later | open the record         |
        | Johnny Later | open the new-visit form |
        | Johnny Later | send the new-visit form |

  Rule: Every look at a record and every change is audited: what, about whom, by whom, from which address, in order

    @critical
    Scenario: A provider records a visit and signs a prescription, and the audit log tells it in order
      The journey is one: its order is what the audit log must tell. Jane Roe and Dr. Ben Jones
      stand by: nothing may be audited about them.

      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      When they search for the patient "John Patient"
      And they open John Patient's record from the results
      And they view the medical history
      And they record a visit:
        | reason         | diagnosis            | treatment plan               |
        | Annual checkup | Healthy, no concerns | Continue current medications |
      And they prescribe, and sign with their password:
        | medication      | dosage     | duration |
        | Lisinopril 10mg | Once daily | 30 days  |
      Then the newest visit of John Patient with them has the reason "Annual checkup" and the diagnosis "Healthy, no concerns"
      And its prescription is "Lisinopril 10mg", "Once daily", with their signature, which verifies with their public key
      And the audit log of John Patient with them holds, in this order, exactly these entries, each completed and with the client's IP address:
        | what                        | about                |
        | a listing in a search       | the patient          |
        | a look at the record        | the patient          |
        | the new visit               | the new visit        |
        | a look at the visit         | the new visit        |
        | a look at the prescriptions | the new visit        |
        | the new prescription        | the new prescription |
        | a look at the prescriptions | the new visit        |
      And the audit log of what they did holds, in this order, exactly:
        | what                        | about        |
        | an accepted code            |              |
        | a search                    |              |
        | a listing in a search       | John Patient |
        | a look at the record        | John Patient |
        | the new visit               | John Patient |
        | a look at the visit         | John Patient |
        | a look at the prescriptions | John Patient |
        | the new prescription        | John Patient |
        | a look at the prescriptions | John Patient |
      And nothing is audited about Jane Roe, nor of Dr. Ben Jones

  Rule: When the audit log cannot be written, no record is shown, nothing is changed and no access is granted

    @critical
    Scenario: With the audit log unwritable, the current code opens nothing
      Given "dr.smith@hospital.com" has signed in to the clinic with their password
      And the clinic's audit log cannot be written
      When they enter the current code of their authenticator app
      Then no patient page opens for them: the patient search asks for the second factor

    @critical
    Scenario Outline: With the audit log unwritable, "<place>" of <patient> shows nothing and writes nothing
      Given "dr.smith@hospital.com" has signed in to the clinic with both factors
      And the clinic's audit log cannot be written
      When they <place> of <patient>
      Then the clinic answers "<answer>"
      And the answer shows nothing of <patient>'s record
      And nothing is written in <patient>'s record

      Examples:
        | patient      | place                                    | answer                                                                  |
        | John Patient | search for the name                      | The access could not be recorded in the audit log, so it is not shown.  |
        | John Patient | open the record                          | The access could not be recorded in the audit log, so it is not shown.  |
        | Jane Roe     | open the record                          | The access could not be recorded in the audit log, so it is not shown.  |
        | John Patient | send the new-visit form                  | The action could not be recorded in the audit log; nothing was changed. |
        | John Patient | sign a prescription at the earlier visit | The action could not be recorded in the audit log; nothing was changed. |
        | John Patient | change the earlier visit's prescription  | The action could not be recorded in the audit log; nothing was changed. |

  Rule: A visit and a prescription keep their texts up to their longest, counted in characters

    The texts are of accented letters, two and three bytes each: a length counted in bytes
    would refuse the longest texts that must be kept.

    Background:
      Given the clinic holds a visit of John Patient with Dr. Alice Smith, with no prescription yet
      And "dr.smith@hospital.com" has signed in to the clinic with both factors

    @normal
    Scenario: A visit over 500, 1000 and 2000 characters of reason, diagnosis and treatment plan is refused
      When they try to record a visit for John Patient:
        | reason                 | diagnosis               | treatment plan          |
        | {501 accented letters} | {1001 accented letters} | {2001 accented letters} |
      Then the visit is not recorded, and the clinic says:
        | message                                                  |
        | The reason for the visit must be at most 500 characters. |
        | The diagnosis must be at most 1000 characters.           |
        | The treatment plan must be at most 2000 characters.      |

    @normal
    Scenario: A visit of 500, 1000 and 2000 characters is kept as written
      When they try to record a visit for John Patient:
        | reason                 | diagnosis               | treatment plan          |
        | {500 accented letters} | {1000 accented letters} | {2000 accented letters} |
      Then the newest visit of John Patient with them is stored as written

    @normal
    Scenario: A prescription over 200, 200 and 100 characters of medication, dosage and duration goes no further than its form
      When they try to prescribe at that visit:
        | medication             | dosage                 | duration               |
        | {201 accented letters} | {201 accented letters} | {101 accented letters} |
      Then the prescription goes no further than its form, and the clinic says:
        | message                                        |
        | The medication must be at most 200 characters. |
        | The dosage must be at most 200 characters.     |
        | The duration must be at most 100 characters.   |

    @normal
    Scenario: A prescription over its lengths sent straight to signing is not signed
      When they send a prescription straight to signing at that visit:
        | medication             | dosage                 | duration               |
        | {201 accented letters} | {201 accented letters} | {101 accented letters} |
      Then the prescription is not signed, and the clinic says:
        | message                                        |
        | The medication must be at most 200 characters. |
        | The dosage must be at most 200 characters.     |
        | The duration must be at most 100 characters.   |
      And the visit still has no prescription

    @normal
    Scenario: A prescription of 200, 200 and 100 characters is signed as written
      When they prescribe at that visit, and sign with their password:
        | medication             | dosage                 | duration               |
        | {200 accented letters} | {200 accented letters} | {100 accented letters} |
      Then the visit's prescription is stored as written, with their signature, which verifies with their public key

  Rule: A prescription is signed with the provider's own password and key, exactly as written

    Background:
      Given the clinic holds a visit of John Patient with Dr. Alice Smith, with no prescription yet
      And "dr.smith@hospital.com" has signed in to the clinic with both factors

    @critical
    Scenario: A wrong signature password signs nothing, and no prescription is made
      When they prescribe at that visit, and sign with the password "NotMyPassword123!":
        | medication        | dosage            | duration |
        | Amoxicillin 500mg | Three times daily | 7 days   |
      Then the prescription is not signed: "The password is not correct; the prescription was not signed."
      And the visit still has no prescription
      And the audit log of John Patient with them holds a refusal to sign for that visit, because of a wrong password, and not the new prescription

    @normal
    Scenario: A prescription is signed exactly as written, accents and symbols included
      When they prescribe at that visit, and sign with their password:
        | medication         | dosage             | duration |
        | Paracétamol 500 mg | ½ tablet, 3× daily | 5 días   |
      Then the visit's prescription is stored as written, with their signature, which verifies with their public key

    @critical
    Scenario Outline: A signing key wrapped at less than the clinic's cost signs nothing, even with the right password: <cost>
      The clinic's cost is 19 MiB of memory (19,456 KiB) and 2 passes; a wrapping short of
      either, by one pass or by one KiB, opens nothing.

      Given their signing key in use is wrapped with their password at <cost>, less than the clinic's cost
      When they try to prescribe at that visit, and sign with their password:
        | medication        | dosage            | duration |
        | Amoxicillin 500mg | Three times daily | 7 days   |
      Then the prescription is not signed: "The password is not correct; the prescription was not signed."
      And the visit still has no prescription

      @fixture.weak_signing_key
      Examples: A pass short
        | cost                             |
        | 19 MiB of memory and 1 pass      |

      @fixture.short_memory_signing_key
      Examples: A KiB of memory short
        | cost                             |
        | 19455 KiB of memory and 2 passes |

    @normal @fixture.legacy_signing_key
    Scenario: A key kept the earlier way signs, and is wrapped anew at the clinic's cost
      Given their signing key in use is kept the earlier way, in a PEM encrypted with their password
      When they prescribe at that visit, and sign with their password:
        | medication        | dosage            | duration |
        | Amoxicillin 500mg | Three times daily | 7 days   |
      Then the visit's prescription is stored as written, with their signature, which verifies with their public key
      And their signing key in use is now wrapped with their password at 19 MiB of memory and 2 passes, the clinic's cost
      And its new wrapping holds a salt of 16 bytes and a nonce of 12 bytes

    @normal @fixture.legacy_signing_key
    Scenario Outline: A key kept the earlier way opens with their password only: signed <how>, nothing is signed and the key stays as it was
      Given their signing key in use is kept the earlier way, in a PEM encrypted with their password
      When they prescribe at that visit, and sign <how>:
        | medication        | dosage            | duration |
        | Amoxicillin 500mg | Three times daily | 7 days   |
      Then the prescription is not signed: "The password is not correct; the prescription was not signed."
      And the visit still has no prescription
      And their signing key in use is still kept the earlier way, as it was

      Examples:
        | how                                   |
        | with the password "NotMyPassword123!" |
        | without a password                    |

    @critical @fixture.earlier_password_signing_key
    Scenario: A password that opens the signing key but is not the provider's own signs nothing
      Their key was wrapped with the password they had before it was reset: the password must be
      theirs AND open the key.

      Given their signing key in use is wrapped at the clinic's cost with "EarlierPassword123!", a password that is not theirs
      When they prescribe at that visit, and sign with the password "EarlierPassword123!":
        | medication        | dosage            | duration |
        | Amoxicillin 500mg | Three times daily | 7 days   |
      Then the prescription is not signed: "The password is not correct; the prescription was not signed."
      And the visit still has no prescription
      And the audit log of John Patient with them holds a refusal to sign for that visit, because of a wrong password, and not the new prescription

  Rule: A signed prescription cannot be changed: not in any of its fields, nor by signing another at its visit

    Background:
      Given the clinic holds a prescription Dr. Alice Smith signed for John Patient at an earlier visit, whose signature verifies
      And "dr.smith@hospital.com" has signed in to the clinic with both factors

    @critical
    Scenario Outline: A change of its <field> is refused and audited, and the prescription stays as signed
      When they try to change its <field> to "<value>"
      Then the change is refused: "A signed prescription cannot be changed."
      And the audit log of John Patient with them holds a refused change for that prescription, naming the <field> "<value>" that was asked for
      And the prescription is as it was signed, and its signature still verifies

      Examples:
        | field      | value            |
        | medication | Simvastatin 40mg |
        | dosage     | Twice daily      |
        | duration   | 365 days         |

    @normal
    Scenario: Signing another prescription at the same visit leaves the signed one as it was
      When they prescribe at that visit, and sign with their password:
        | medication      | dosage     | duration |
        | Ezetimibe 10 mg | Once daily | 90 days  |
      Then the prescription is as it was signed, and its signature still verifies
