@product.academy
@allure.label.epic:E-learning_academy
Feature: Course completion with a certificate
  A student works through a course module by module: every video watched to the end, every
  quiz passed at its minimum score, the assignment handed in as a PDF. Completing the last
  module completes the course, and the student downloads a certificate that says so. The rules
  below protect that certificate: only a student who did the whole course, in order, gets one.

  Background:
    Given the course "Advanced JavaScript" is made of these modules, in this order:
      | module    | quiz minimum | assignment |
      | module-01 | 80%          | no         |
      | module-02 | no quiz      | no         |
      | module-03 | 85%          | no         |
      | module-04 | no quiz      | a PDF      |
      | module-05 | 90%          | no         |

  @critical @allure.label.story:Certificate
  Scenario: A student completes the course module by module and downloads the certificate
    Given "student@university.edu" has signed in to the academy
    When they start the course "Advanced JavaScript"
    And they complete its modules in order, watching every video to the end:
      | module    | quiz answers right | assignment            | notes                              |
      | module-01 | 10 of 10           |                       |                                    |
      | module-02 |                    |                       |                                    |
      | module-03 | 9 of 10            |                       |                                    |
      | module-04 |                    | sample-assignment.pdf | Completed assignment with examples |
      | module-05 | 10 of 10           |                       |                                    |
    Then the course shows as completed, with its certificate to download
    And the certificate downloads as a PDF file named like "certificate*.pdf"
    And the certificate names "Alex Student", the course "Advanced JavaScript", the completion date and its certificate id
    And the completions of "student@university.edu" are the five modules in module order, each quiz at or above its minimum:
      | module    | score |
      | module-01 | 100   |
      | module-02 |       |
      | module-03 | 90    |
      | module-04 |       |
      | module-05 | 100   |
    And the enrollment of "student@university.edu" is completed, with the mean of the best quiz scores as final score (at least 85), a certificate id and its issue time
    And the assignment "sample-assignment.pdf" of "student@university.edu" is stored for module-04, with its notes

  @critical @allure.label.story:Quizzes
  Scenario Outline: A quiz module is completed only with a score at or above the quiz's minimum
    Given "bea.quinn@university.edu" is enrolled in "Advanced JavaScript" with no module completed and the videos of module-01 and module-02 watched
    And "bea.quinn@university.edu" has signed in to the academy
    When they answer the quiz of module-01 with <right> answers right
    Then their quiz score is <score>%
    When they try to complete module-01
    Then module-01 <outcome>

    Examples:
      | right   | score | outcome                                                                         |
      | 7 of 10 | 70    | is not completed: "You need at least 80% on the quiz to complete this module." |
      | 8 of 10 | 80    | is completed with a score of 80                                                 |

  @critical @allure.label.story:Quizzes
  Scenario: A quiz can be taken again, and the best attempt counts
    Given "bea.quinn@university.edu" is enrolled in "Advanced JavaScript" with no module completed and the videos of module-01 and module-02 watched
    And "bea.quinn@university.edu" has signed in to the academy
    When they answer the quiz of module-01 with 7 of 10 answers right
    And they answer the quiz of module-01 again with 9 of 10 answers right
    And they answer the quiz of module-01 again with 8 of 10 answers right
    And they complete module-01
    Then module-01 is completed with a score of 90, the best of their attempts
    And every attempt at the quiz of module-01 is kept, scored 70%, 90% and 80%

  @critical @allure.label.story:Order
  Scenario: A module cannot be completed before the one before it
    Given "bea.quinn@university.edu" is enrolled in "Advanced JavaScript" with no module completed and the videos of module-01 and module-02 watched
    And "bea.quinn@university.edu" has signed in to the academy
    When they try to complete module-02
    Then module-02 is not completed: "Complete module-01 first."
    And the course page shows no module completed and module-01 next, any later module locked

  @critical @allure.label.story:Videos
  Scenario: A video module is completed only once its video has played to the end
    Given "carl.vidal@university.edu" is enrolled in "Advanced JavaScript" with module-01 completed and the video of module-01 watched
    And "carl.vidal@university.edu" has signed in to the academy
    When they play the video of module-02 and stop it halfway
    Then module-02 offers neither a quiz nor an assignment
    When they try to complete module-02
    Then module-02 is not completed: "Watch the video to the end first."
    When they play the video of module-02 to the end
    And they complete module-02
    Then module-02 is completed, after module-01, with its video recorded as watched to the end

  @critical @allure.label.story:Certificate
  Scenario: There is no certificate before every module is complete
    Given "dana.upton@university.edu" is enrolled in "Advanced JavaScript" with module-01 to module-03 completed and the videos of module-01 to module-04 watched
    And "dana.upton@university.edu" has signed in to the academy
    When they hand in "sample-assignment.pdf" for module-04 with the notes "First draft"
    And they complete module-04
    Then the course page shows module-01 to module-04 completed and module-05 next, any later module locked
    And the course is not shown as completed and offers no certificate
    And asking for the certificate directly is refused
    And "dana.upton@university.edu" has no certificate and the course is still in progress

  @normal @allure.label.story:Assignments
  Scenario Outline: An assignment that is not a PDF, or is too big, is refused and nothing is stored
    Given "dana.upton@university.edu" is enrolled in "Advanced JavaScript" with module-01 to module-03 completed and the videos of module-01 to module-04 watched
    And "dana.upton@university.edu" has signed in to the academy
    When they hand in <file> for module-04
    Then the hand-in is refused: "<message>"
    And nothing of the hand-in is stored
    When they try to complete module-04
    Then module-04 is not completed

    Examples: The academy judges a file by what it holds, not by its name
      | file                   | message                            |
      | "plain-text-essay.pdf" | The assignment must be a PDF file. |

    Examples: An assignment is at most 2 MB
      | file                      | message                              |
      | a PDF of 2 MB and 1 byte  | The assignment must be at most 2 MB. |

  @normal @allure.label.story:Assignments
  Scenario Outline: A PDF up to the size limit is accepted and stored as it was sent, whatever its name
    Given "dana.upton@university.edu" is enrolled in "Advanced JavaScript" with module-01 to module-03 completed and the videos of module-01 to module-04 watched
    And "dana.upton@university.edu" has signed in to the academy
    When they hand in <file> for module-04 with the notes "Final version"
    Then the hand-in is accepted and stored as it was sent, with its notes

    Examples:
      | file                                              |
      | a PDF of exactly 2 MB                             |
      | "sample-assignment.pdf" named "my-assignment.txt" |

  @normal @allure.label.story:Assignments
  Scenario: Notes are kept up to 2000 characters, and the notes box takes no more
    Given "dana.upton@university.edu" is enrolled in "Advanced JavaScript" with module-01 to module-03 completed and the videos of module-01 to module-04 watched
    And "dana.upton@university.edu" has signed in to the academy
    When they hand in "sample-assignment.pdf" for module-04 with the notes "{2001 letters}"
    Then the hand-in is accepted and stored with the first 2000 characters of its notes

  @critical @allure.label.story:Certificate
  Scenario: Completing the last module twice gives one certificate, made out to the student
    Given "eve.turner@university.edu" is enrolled in "Advanced JavaScript" with module-01 to module-04 completed and the videos of module-01 to module-05 watched
    And their best score on the quiz of module-05 is 100%
    And "eve.turner@university.edu" has signed in to the academy
    When they complete module-05
    And they complete module-05 again
    Then "eve.turner@university.edu" has one certificate for the course, the one issued the first time
    And the certificate downloads as a PDF file named like "certificate*.pdf"
    And the certificate names "Eve Turner", the course "Advanced JavaScript", the completion date and its certificate id

  @normal @allure.label.story:Certificate
  Scenario Outline: The certificate prints the student's name with the letters its typeface has
    Given "<student>" is enrolled in "Advanced JavaScript" with module-01 to module-04 completed and the videos of module-01 to module-05 watched
    And their best score on the quiz of module-05 is 100%
    And "<student>" has signed in to the academy
    When they complete module-05
    Then the certificate downloads as a PDF file named like "certificate*.pdf"
    And the certificate is made out to "<name>" and prints the name as "<printed as>"

    Examples: Accented letters of Western European languages are printed as they are
      | student                  | name      | printed as |
      | zoe.nunez@university.edu | Zoë Núñez | Zoë Núñez  |

    Examples: A name with a letter the typeface lacks is printed without its accents
      | student                      | name          | printed as    |
      | lukasz.wrobel@university.edu | Łukasz Wróbel | Lukasz Wrobel |

  @normal @allure.label.story:Sign_in
  Scenario Outline: Only an active student with the right password signs in
    Given the account of "<email>" is <state>
    When "<email>" tries to sign in to the academy with <password>
    Then sign-in is refused with "Incorrect email or password."
    And "<email>" has no session in the academy

    Examples:
      | email                     | state    | password         |
      | bea.quinn@university.edu  | active   | a wrong password |
      | frank.hale@university.edu | disabled | their password   |

  @normal @allure.label.story:Sign_in
  Scenario: A student whose account is disabled while signed in is signed out
    Given "bea.quinn@university.edu" has signed in to the academy
    When the academy disables the account of "bea.quinn@university.edu"
    And they open their courses
    Then the academy asks them to sign in again

  @normal @allure.label.story:Sign_in
  Scenario: A student who signs out must sign in again to see their courses
    Given "bea.quinn@university.edu" has signed in to the academy
    When they sign out of the academy
    Then "bea.quinn@university.edu" has no session in the academy
    When they open their courses
    Then the academy asks them to sign in again
