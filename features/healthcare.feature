@product.clinic
@allure.label.epic:Healthcare_clinic
Feature: Patient records with a second factor, signed prescriptions and an audit trail
  A provider signs in with their password and then with the current code of their
  authenticator app, finds a patient in their care, records a visit and prescribes, signing the
  prescription with their password. The audit log, a database of its own, tells every look at
  a patient's record and every change: what, about whom, by whom, from which address, in the
  order it happened. The rules below keep patient records to the providers who care for them,
  and signed prescriptions as they were signed.

  @critical @allure.label.story:Visits_and_prescriptions
  Scenario: A provider records a visit and signs a prescription, and the audit log tells it in order
    When "dr.smith@hospital.com" signs in to the clinic with their password
    Then they are asked for a second factor
    When they enter the current code of their authenticator app
    And they search for the patient "John Patient"
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
      | action               | about                |
      | PATIENT_VIEWED       | the patient          |
      | VISIT_CREATED        | the new visit        |
      | PRESCRIPTION_CREATED | the new prescription |

  @normal @allure.label.story:Visits_and_prescriptions
  Scenario: A visit keeps a reason of up to 500 characters, a diagnosis of up to 1000 and a treatment plan of up to 2000
    Given "dr.smith@hospital.com" has signed in to the clinic with both factors
    When they try to record a visit for John Patient:
      | reason        | diagnosis      | treatment plan |
      | {501 letters} | {1001 letters} | {2001 letters} |
    Then the visit is not recorded, and the clinic says:
      | message                                                  |
      | The reason for the visit must be at most 500 characters. |
      | The diagnosis must be at most 1000 characters.            |
      | The treatment plan must be at most 2000 characters.       |
    When they record a visit:
      | reason        | diagnosis      | treatment plan |
      | {500 letters} | {1000 letters} | {2000 letters} |
    Then the newest visit of John Patient with them is stored as written

  @normal @allure.label.story:Visits_and_prescriptions
  Scenario: A prescription keeps a medication and a dosage of up to 200 characters and a duration of up to 100
    Given John Patient has a visit with Dr. Alice Smith that has no prescription yet
    And "dr.smith@hospital.com" has signed in to the clinic with both factors
    When they try to prescribe at that visit:
      | medication    | dosage        | duration      |
      | {201 letters} | {201 letters} | {101 letters} |
    Then the prescription goes no further than its form, and the clinic says:
      | message                                        |
      | The medication must be at most 200 characters. |
      | The dosage must be at most 200 characters.     |
      | The duration must be at most 100 characters.   |
    When they prescribe at that visit, and sign with their password:
      | medication    | dosage        | duration      |
      | {200 letters} | {200 letters} | {100 letters} |
    Then the visit's prescription is stored as written, with their signature, which verifies with their public key

  @critical @allure.label.story:Sign_in
  Scenario Outline: Only an active provider with the right password gets as far as the second factor
    Given the clinic account of "<email>" is <state>
    When "<email>" tries to sign in to the clinic with <password>
    Then sign-in is refused with "Incorrect email or password."
    And "<email>" has no session in the clinic

    Examples:
      | email                 | state    | password         |
      | dr.smith@hospital.com | active   | a wrong password |
      | dr.gray@hospital.com  | disabled | their password   |

  @critical @allure.label.story:Sign_in
  Scenario: A provider whose account is disabled while signed in is signed out
    Given "dr.jones@hospital.com" has signed in to the clinic with both factors
    When the clinic disables the account of "dr.jones@hospital.com"
    And they type the address of the patient search
    Then the clinic asks them to sign in again

  @critical @allure.label.story:Second_factor
  Scenario Outline: A wrong, expired or already used code is refused, audited, and opens no patient page
    An authenticator app shows a new code every 30 seconds (a step). A code of up to ten steps
    back is told apart as expired; an older one is just wrong.

    Given "dr.smith@hospital.com" signed in to the clinic earlier with both factors, and signed out
    And they have signed in to the clinic again with their password
    When they enter <code>
    Then the code is refused: "That code is not valid. Enter the current code from your authenticator app."
    And the audit log holds their failed second factor: MFA_FAILED, because the code is "<reason>"
    And no patient page opens for them: the patient search asks for the second factor

    Examples:
      | code                                 | reason  |
      | a wrong code                         | wrong   |
      | the code of 2 steps ago              | expired |
      | the code of 10 steps ago             | expired |
      | the code of 11 steps ago             | wrong   |
      | the code they signed in with earlier | reused  |

  @critical @allure.label.story:Second_factor
  Scenario: A provider without an authenticator app gets no further than the second factor, whatever code they type
    Given "dr.new@hospital.com" has no authenticator app enrolled
    And "dr.new@hospital.com" has signed in to the clinic with their password
    When they enter the code "123456"
    Then the code is refused: "That code is not valid. Enter the current code from your authenticator app."
    And the audit log holds their failed second factor: MFA_FAILED, because the code is "wrong"
    And no patient page opens for them: the patient search asks for the second factor

  @critical @allure.label.story:Second_factor
  Scenario Outline: The code of the step before or after the current one is accepted: one step of clock drift
    Given "dr.smith@hospital.com" has signed in to the clinic with their password
    When they enter <code>
    Then the code is accepted and they reach the patient search
    And the audit log holds their second factor verified: MFA_VERIFIED

    Examples:
      | code                          |
      | the code of the previous step |
      | the code of the next step     |

  @critical @allure.label.story:Second_factor
  Scenario: A fifth wrong code in a row locks the second factor, and then even the right code is refused
    Given "dr.lee@hospital.com" has entered 3 wrong codes in a row
    And "dr.lee@hospital.com" has signed in to the clinic with their password
    When they enter a wrong code
    Then the code is refused: "That code is not valid. Enter the current code from your authenticator app."
    When they enter a wrong code
    Then the second factor is locked for 15 minutes: "Too many wrong codes: the second factor is locked for 15 minutes."
    When they enter the current code of their authenticator app
    Then the code is refused: "Too many wrong codes: the second factor is locked for 15 minutes."
    And the audit log of their second factor holds, in this order, exactly:
      | action     | reason |
      | MFA_FAILED | wrong  |
      | MFA_FAILED | wrong  |
      | MFA_LOCKED |        |
      | MFA_FAILED | locked |
    And no patient page opens for them: the patient search asks for the second factor

  @normal @allure.label.story:Second_factor
  Scenario: Once the lock is over, the current code is accepted
    Given the second factor of "dr.park@hospital.com" was locked, and the lock is over
    And "dr.park@hospital.com" has signed in to the clinic with their password
    When they enter the current code of their authenticator app
    Then the code is accepted and they reach the patient search

  @critical @allure.label.story:Second_factor
  Scenario Outline: Without the second factor no patient page opens, whatever address is typed
    Given "dr.smith@hospital.com" has signed in to the clinic with their password
    When they type the address of <page>
    Then they are asked for a second factor
    And nothing is audited as viewed

    Examples:
      | page                         |
      | the patient search           |
      | John Patient's record        |
      | a new visit for John Patient |

  @critical @allure.label.story:Care
  Scenario: The patient search lists only the patients in the provider's care
    Given the clinic's care relationships include:
      | provider        | patient      | care              |
      | Dr. Alice Smith | John Patient | ongoing           |
      | Dr. Alice Smith | John Former  | ended 10 days ago |
      | Dr. Alice Smith | Johnny Later | starts in 5 days  |
      | Dr. Ben Jones   | Jane Roe     | ongoing           |
    And "dr.smith@hospital.com" has signed in to the clinic with both factors
    When they search for the patient "John"
    Then the search lists John Patient only
    When they search for the patient "Jane"
    Then the search lists no patient

  @critical @allure.label.story:Care
  Scenario Outline: A patient outside the provider's care cannot be opened by address, and the attempt is audited
    Given "dr.smith@hospital.com" has signed in to the clinic with both factors
    When they type the address of <patient>'s record
    Then the record is refused: "This patient is not in your care."
    And the audit log of <patient> with them holds exactly ACCESS_DENIED

    Examples: Another provider's patient
      | patient  |
      | Jane Roe |

    Examples: A patient whose care by them has ended
      | patient     |
      | John Former |

  @critical @allure.label.story:Signatures
  Scenario: A wrong signature password signs nothing, and no prescription is made
    Given John Patient has a visit with Dr. Alice Smith that has no prescription yet
    And "dr.smith@hospital.com" has signed in to the clinic with both factors
    When they prescribe at that visit, and sign with the password "NotMyPassword123!":
      | medication        | dosage            | duration |
      | Amoxicillin 500mg | Three times daily | 7 days   |
    Then the prescription is not signed: "The password is not correct; the prescription was not signed."
    And the visit still has no prescription
    And the audit log of John Patient with them holds PRESCRIPTION_SIGNING_REFUSED for that visit, because of a wrong password, and no PRESCRIPTION_CREATED

  @normal @allure.label.story:Signatures
  Scenario: A prescription is signed exactly as written, accents and symbols included
    Given John Patient has a visit with Dr. Alice Smith that has no prescription yet
    And "dr.smith@hospital.com" has signed in to the clinic with both factors
    When they prescribe at that visit, and sign with their password:
      | medication         | dosage             | duration |
      | Paracétamol 500 mg | ½ tablet, 3× daily | 5 días   |
    Then the visit's prescription is stored as written, with their signature, which verifies with their public key

  @critical @allure.label.story:Signatures
  Scenario: A signed prescription cannot be changed, and the attempt is audited
    Given John Patient has a prescription signed by Dr. Alice Smith at an earlier visit, and its signature verifies
    And "dr.smith@hospital.com" has signed in to the clinic with both factors
    When they try to change its dosage to "Twice daily"
    Then the change is refused: "A signed prescription cannot be changed."
    And the audit log of John Patient with them holds PRESCRIPTION_CHANGE_REFUSED for that prescription, naming the dosage "Twice daily" that was asked for
    And the prescription is as it was signed, and its signature still verifies
