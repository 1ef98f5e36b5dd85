@product.academy @security
Feature: The academy's certificate is earned by learning, and its uploads and answers cannot harm it
  A certificate says that a student watched every video, passed every quiz and handed in their
  work. These rules keep it honest against a student who tries to skip the learning: a video's
  end reported without the video having played, a quiz retried until its answer key falls out,
  answers no question offers. They also keep the academy safe from what students send it: files
  that only pose as PDFs, PDFs that run scripts or carry other files, disguised file names, and
  uploads far too large to read.

  Nora Quick has started the course and done nothing yet; Omar Hale has completed module-01 to
  module-03 and watched the video of module-04, so his next step is the hand-in.

  Reached by pytest, not by a browser (tests/app/academy_tests/test_academy_security.py): an
  upload sent without announcing its size, stopped once it passes the limit
  (test_an_upload_without_a_length_is_stopped_at_the_limit); attempts sent at once never pass
  the limit (test_attempts_sent_at_once_never_pass_the_limit); a video's end reported in the
  same second it was served, and one reported after its whole length
  (test_the_video_end_counts_only_after_the_video_s_length); the video's length read from the
  video file itself (test_the_video_length_is_the_files_own). In
  tests/app/test_academy_video_rule.py: an end reported exactly the video's length after it was
  served counts, a millisecond sooner does not
  (test_an_end_reported_at_least_the_video_s_length_after_serving_counts); no file but one of
  the academy's video folder is served as a module's video
  (test_no_other_file_is_served_as_a_module_s_video). In tests/app/test_academy_video_length.py,
  on videos made byte by byte: a video that does not state a length above zero, or is cut short
  or malformed where its length is written, has none, so no end is believed too soon.

  Background:
    Given the course "Advanced JavaScript" is made of these modules, in this order:
      | module    | quiz minimum | assignment |
      | module-01 | 80%          | no         |
      | module-02 | no quiz      | no         |
      | module-03 | 85%          | no         |
      | module-04 | no quiz      | a PDF      |
      | module-05 | 90%          | no         |

  Rule: A video counts as watched only once the academy has played it to the student, in that session, for its whole length

    @critical
    Scenario: The end of a video the student never played is refused and nothing is recorded
      Given "nora.quick@university.edu" has signed in to the academy
      When they report the end of the video of module-01 without ever playing it
      Then the academy refuses it: "The video's end was not recorded: play the video on its module's page first."
      And nothing of module-01 is recorded as watched or completed for "nora.quick@university.edu"

    @critical
    Scenario: A video skipped straight to its end is not watched
      Given "nora.quick@university.edu" has signed in to the academy
      When they open module-01 and skip its video straight to the end
      Then the page says "The video's end was not recorded: play the video through to its end."
      And the academy holds that it played the video of module-01 to their session
      And nothing of module-01 is recorded as watched or completed for "nora.quick@university.edu"

    @critical
    Scenario: A video played in one browser does not count for another session
      Given "nora.quick@university.edu" has signed in to the academy
      And "nora.quick@university.edu" has also signed in to the academy in a second browser
      And the academy played the video of module-01 to their first browser a minute ago
      When their second browser reports the end of the video of module-01
      Then the academy refuses it: "The video's end was not recorded: play the video on its module's page first."
      And nothing of module-01 is recorded as watched or completed for "nora.quick@university.edu"
      But the end reported by their first browser is recorded

    @critical
    Scenario: A video played through to its end is watched
      Given "nora.quick@university.edu" has signed in to the academy
      When they play the video of module-01 to the end
      Then the end of the video of module-01 is recorded, and its page says so

  Rule: A quiz allows three attempts, each showing its score but never which answers were right or wrong; then it closes until a teacher reopens it

    @critical
    Scenario: The third attempt is the last one offered
      Given "nora.quick@university.edu" has signed in to the academy
      And their attempts at the quiz of module-01 scored 40% and 60%
      When they answer the quiz of module-01 again with 7 of 10 answers right
      Then their quiz score is 70%
      And the result shows no attempt left and offers no other
      And the quiz of module-01 is closed to them: "You have used all 3 attempts at this quiz, so it is closed: ask your teacher to reopen it."
      And every attempt at the quiz of module-01 is kept, scored 40%, 60% and 70%

    @critical
    Scenario: A fourth attempt sent past the closed quiz is refused and not kept
      Given "nora.quick@university.edu" has signed in to the academy
      And their attempts at the quiz of module-01 scored 40%, 60% and 70%
      When they send every right answer to the quiz of module-01 past the closed quiz
      Then the academy refuses it: "You have used all 3 attempts at this quiz, so it is closed: ask your teacher to reopen it."
      And every attempt at the quiz of module-01 is kept, scored 40%, 60% and 70%

    @normal
    Scenario: Neither the score nor the result of a wrong attempt tells which answers were wrong
      Given "nora.quick@university.edu" has signed in to the academy
      When they answer the quiz of module-01 with 9 of 10 answers right
      Then their quiz score is 90%
      And neither the quiz of module-01 nor the result of their attempt reveals which answers are right

  Rule: A quiz answer is one of its question's choices; anything else refuses the attempt as not a valid answer, and nothing is kept

    @normal
    Scenario Outline: An answer of <kind> is not a valid answer
      Given "nora.quick@university.edu" has signed in to the academy
      When they send the quiz of module-01 with "<answer>" as the answer to question 1
      Then the quiz says "The answer to question 1 is not a valid answer: choose one of its choices."
      And they have no attempt at the quiz of module-01

      Examples:
        | kind                                     | answer        |
        | a superscript two                        | ²             |
        | an Arabic-Indic digit one                | ١             |
        | 20 digits                                | {20 digits}   |
        | 5,000 digits                             | {5000 digits} |
        | a choice the question does not have      | 4             |
        | a choice far past the last one           | 7             |
        | a negative number                        | -1            |

  Rule: The hand-in is a plain PDF with at least one page, judged by reading it as a PDF reader does: a file that only poses as one, a web page, a PDF without a page, or a PDF that runs a script or carries a file is refused, and nothing is stored

    Background:
      Given the academy's records show "omar.hale@university.edu" enrolled in "Advanced JavaScript" with module-01 to module-03 completed and the videos of module-01 to module-04 watched
      And "omar.hale@university.edu" has signed in to the academy

    @critical
    Scenario Outline: <what> is refused
      When they hand in "<file>" for module-04
      Then the hand-in is refused: "<message>"
      And nothing of the hand-in is stored

      Examples: Files that are no PDF, whatever they start with
        | what                                         | file                  | message                            |
        | a 60-byte file that only starts like a PDF   | header-only.pdf       | The assignment must be a PDF file. |
        | a web page with a script that poses as a PDF | web-page-polyglot.pdf | The assignment must be a PDF file. |

      Examples: PDFs that would run or unpack something on a teacher's computer
        | what                                                              | file                       | message                                                                  |
        | a PDF that runs JavaScript when opened                            | pdf-with-script.pdf        | The assignment must be a PDF without scripts, actions or attached files. |
        | a PDF with a script filed among its named parts, before its pages | pdf-with-named-script.pdf  | The assignment must be a PDF without scripts, actions or attached files. |
        | a PDF with a program attached                                     | pdf-with-attached-file.pdf | The assignment must be a PDF without scripts, actions or attached files. |

      Examples: A PDF with nothing to read
        | what                 | file                  | message                            |
        | a PDF without a page | pdf-without-pages.pdf | The assignment must be a PDF file. |

    @critical
    Scenario Outline: A plain PDF of <pages> is accepted
      When they hand in "<file>" for module-04 with the notes "Final version"
      Then the hand-in is accepted and stored as it was sent, with its notes

      Examples:
        | pages     | file                           |
        | one page  | plain-assignment.pdf           |
        | two pages | plain-assignment-two-pages.pdf |

    @normal
    Scenario: A plain PDF whose line endings a transfer changed, which PDF readers still open, is accepted
      When they hand in "plain-assignment-windows-line-endings.pdf" for module-04 with the notes "Sent from Windows"
      Then the hand-in is accepted and stored as it was sent, with its notes

  Rule: A hand-in's file name is stored and shown without the characters that could disguise it

    @normal
    Scenario: A name that hides ".exe" behind a right-to-left override is stored and shown plainly
      Given the academy's records show "omar.hale@university.edu" enrolled in "Advanced JavaScript" with module-01 to module-03 completed and the videos of module-01 to module-04 watched
      And "omar.hale@university.edu" has signed in to the academy
      When they hand in "plain-assignment.pdf" for module-04 under the name "invoice{right-to-left override}fdp.exe{zero-width space}"
      Then the hand-in is stored and shown under the name "invoicefdp.exe"

  Rule: An upload larger than 2 MB is refused by its size before the academy reads it

    @critical
    Scenario: A 50 MB upload is refused before its file has been sent
      Given the academy's records show "omar.hale@university.edu" enrolled in "Advanced JavaScript" with module-01 to module-03 completed and the videos of module-01 to module-04 watched
      And "omar.hale@university.edu" has signed in to the academy
      When they start handing in a file of 50 MB for module-04
      Then the academy refuses it before the file has been sent: "The assignment must be at most 2 MB."
      And nothing of the hand-in is stored

  # Rules of the shared platform (app/platform), as the academy shows them. Reached by pytest,
  # not by a browser (tests/app/test_platform_security_defences.py): a client address that has
  # failed 100 sign-ins within 10 minutes is refused whatever the account
  # (test_one_address_spraying_many_accounts_is_stopped); no X-Forwarded-For is believed unless
  # its sender is a trusted proxy (test_forwarded_for_is_not_believed_by_default); the access
  # log holds no query string (test_the_access_log_keeps_no_query_string).

  Rule: A password guessed wrong five times in a row locks the account for fifteen minutes, even against the right password

    @critical
    Scenario: Five wrong passwords in a row lock the account, and the right one is then refused with the same words
      When "omar.hale@university.edu" signs in with a wrong password 5 times in a row
      Then "omar.hale@university.edu" is locked for 15 minutes from the last wrong password
      When "omar.hale@university.edu" signs in with their right password
      Then sign-in is refused with the words a wrong password gets, and no session starts

    @normal
    Scenario: Four wrong passwords lock nothing, and the right one then signs in and clears the count
      When "omar.hale@university.edu" signs in with a wrong password 4 times in a row
      Then "omar.hale@university.edu" is not locked, with 4 wrong passwords counted
      When "omar.hale@university.edu" signs in with their right password
      Then they are signed in
      And "omar.hale@university.edu" is not locked, with 0 wrong passwords counted

    @normal
    Scenario: One minute before its end, the lock still refuses the right password
      Given "omar.hale@university.edu" signed in with a wrong password 5 times in a row
      When the lock on "omar.hale@university.edu" has lasted 14 minutes
      And "omar.hale@university.edu" signs in with their right password
      Then sign-in is refused with the words a wrong password gets, and no session starts

    @normal
    Scenario: After fifteen minutes the lock is over and the right password signs in
      Given "omar.hale@university.edu" signed in with a wrong password 5 times in a row
      When the lock on "omar.hale@university.edu" has lasted 15 minutes
      And "omar.hale@university.edu" signs in with their right password
      Then they are signed in

    @normal
    Scenario: An email with no account is locked the same way, so a lock tells nobody which accounts exist
      When "no.such.student@university.edu" signs in with a wrong password 5 times in a row
      Then "no.such.student@university.edu" is locked for 15 minutes from the last wrong password

  Rule: A request sent from another site changes nothing

    @critical
    Scenario: A page on another site cannot sign the student out
      Given "omar.hale@university.edu" has signed in to the academy
      When a page on another site submits the "Log out" form of the page they have open
      Then the app refuses the request from the other site
      And nothing the app keeps in Spanner has changed

    @critical
    Scenario: A page on another site cannot sign the browser in to someone else's account
      When a page on another site signs their browser in as "nora.quick@university.edu"
      Then the app refuses the request from the other site
      And no session starts

  Rule: Every page tells the browser to keep it private and unframed

    @normal
    Scenario: Every page a student reaches forbids framing, type guessing and caching
      Given "omar.hale@university.edu" has signed in to the academy
      When they visit every page they can reach from the page they have open
      Then every page forbids framing, type guessing and caching, and names no server software

  Rule: A hand-in sent from another site is not taken

    @critical
    Scenario: A page on another site cannot hand in a file in the student's name
      Given the academy's records show "omar.hale@university.edu" enrolled in "Advanced JavaScript" with module-01 to module-03 completed and the videos of module-01 to module-04 watched
      And "omar.hale@university.edu" has signed in to the academy
      When a page on another site, open in their browser, hands in "plain-assignment.pdf" for module-04
      Then the app refuses the request from the other site
      And "omar.hale@university.edu" has handed in nothing for module-04, and their progress in the course is as it was
      And nothing the app keeps in Spanner has changed
