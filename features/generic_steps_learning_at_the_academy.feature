@product.academy
Feature: Handing in work, taking a quiz and keeping a certificate at the academy
  Written only with the suite's generic steps (browser and database), with no Python of its
  own.

  A student of Advanced JavaScript hands in the project of module 4 as a PDF file and may add
  notes; anything that is not a PDF is refused and nothing is kept. A quiz is scored against
  the answer key and every answer is kept with the attempt. A student who completed the course
  downloads a certificate that names them, the course and the day they completed it.

  Rule: A PDF handed in is kept exactly as it was sent, with the student's notes

    @critical
    Scenario: Hana hands in her project as a PDF file
      Given I open "/login"
      When I fill in "Email" with "hana.works@university.edu"
      And I fill in "Password" with "SecurePassword123!"
      And I press "Log in"
      And I open "/courses/course-advanced-js/modules/module-04/assignment"
      And I upload "sample-assignment.pdf" as "Your work, as a PDF file of at most 2 MB"
      And I fill in "Notes" with "A small library, with its tests"
      And I press "Submit"
      Then I see "Your assignment was submitted: sample-assignment.pdf (1023 bytes)."
      And the academy database table "AssignmentSubmissions" contains:
        | StudentID    | ModuleID  | FileName              | ContentType     | SizeBytes | Notes                           | SubmittedAt             |
        | student-hana | module-04 | sample-assignment.pdf | application/pdf | 1023      | A small library, with its tests | within 2 minutes of now |
      When the academy database is asked:
        """
        SELECT SUBSTR(Content, 1, 5) AS Start, SHA256(Content) AS Digest
        FROM AssignmentSubmissions WHERE StudentID = 'student-hana'
        """
      Then the answer is:
        | Start        | Digest                                       |
        | 0x255044462d | GCEQuCk7OA9FOmPnt6yJ9UpYZNjENq3xz+fnEYfcA98= |

  Rule: A file that is not a PDF is refused, and nothing is handed in

    @critical
    Scenario: Hana's plain-text essay saved with a .pdf name is refused and her notes are kept on the form
      Given I open "/login"
      When I fill in "Email" with "hana.works@university.edu"
      And I fill in "Password" with "SecurePassword123!"
      And I press "Log in"
      And I open "/courses/course-advanced-js/modules/module-04/assignment"
      And I upload "plain-text-essay.pdf" as "Your work, as a PDF file of at most 2 MB" within "Assignment: Project: a small library"
      And I fill in "Notes" with "My essay"
      And I press "Submit"
      Then I see "The assignment must be a PDF file."
      And the "Notes" field shows "My essay"
      And the academy database has no rows in "AssignmentSubmissions" where StudentID is "student-hana"

  Rule: A quiz is scored against the answer key, and the attempt keeps every answer given

    @critical
    Scenario: Hana answers every question of the Asynchronous JavaScript quiz rightly and scores 100%
      Given I open "/login"
      When I fill in "Email" with "hana.works@university.edu"
      And I fill in "Password" with "SecurePassword123!"
      And I press "Log in"
      And I open "/courses/course-advanced-js/modules/module-03/quiz"
      And I choose "A Promise" in "1. What does an async function always return?"
      And I choose "The then callback" in "2. Which runs first: a resolved promise's then callback or a setTimeout of 0?"
      And I choose "Any of its promises rejects" in "3. Promise.all rejects when"
      And I choose "Promise.race" in "4. Which settles with the first promise to settle, fulfilled or rejected?"
      And I choose "An ES module" in "5. await can be used at the top level of"
      And I choose "An unhandledrejection event" in "6. A rejected promise nobody handles causes"
      And I choose "Promise.allSettled" in "7. Which waits for every promise and never rejects?"
      And I choose "Microtask queue" in "8. The queue that then callbacks go to is the"
      And I choose "An AbortController's signal" in "9. What cancels a fetch request?"
      And I choose "Async iterables" in "10. for await ... of iterates over"
      And I press "Submit answers"
      Then I see "Your score: 100%"
      And the academy database table "QuizAttempts" contains:
        | StudentID    | ModuleID  | Score | Answers                        |
        | student-hana | module-03 | 100   | [1, 2, 0, 3, 1, 2, 0, 3, 1, 2] |

  Rule: The certificate names the student, the course and the day the course was completed

    @normal
    Scenario: Ivo downloads the certificate of the course he completed in May
      Given I open "/login"
      When I fill in "Email" with "ivo.done@university.edu"
      And I fill in "Password" with "SecurePassword123!"
      And I press "Log in"
      And I open "/courses/course-advanced-js"
      And I download "Download certificate" within "Advanced JavaScript"
      Then the download is called "certificate-course-advanced-js-1f0c2b7e-5d1a-4c9e-8e2f-00000000a11c.pdf"
      And the download says "Ivo Done"
      And the download says "has completed the course"
      And the download says "Completed on: 2026-05-14"
      And the academy database table "Certificates" contains:
        | StudentID   | StudentName | CourseTitle         | CompletedOn | IssuedAt                                |
        | student-ivo | Ivo Done    | Advanced JavaScript | 2026-05-14  | within 1 second of 2026-05-14T16:30:00Z |

    @normal
    Scenario: Ivo downloads the same certificate from a module of the course
      Given I open "/login"
      When I fill in "Email" with "ivo.done@university.edu"
      And I fill in "Password" with "SecurePassword123!"
      And I press "Log in"
      And I open "/courses/course-advanced-js/modules/module-05"
      And I download "Download certificate"
      Then the download is called "certificate-course-advanced-js-1f0c2b7e-5d1a-4c9e-8e2f-00000000a11c.pdf"
      And the download says "Certificate ID: 1f0c2b7e-5d1a-4c9e-8e2f-00000000a11c"
