@product.academy
Feature: The academy in production answers its students
  A short check of the deployed academy, run every six hours and on demand (`make smoke`): it
  signs in as an account named in the settings and only reads, so it is safe in production. In
  every acceptance run the same scenarios run on the suite's own data, so they are known to work.

  Rule: The academy answers its students, from a database of the shape it was built for

    @smoke
    Scenario: A student signs in and sees the academy's courses
      Given a student who has an account with the academy
      When they sign in
      Then they see the academy's courses, the ones they started among them

    @smoke
    Scenario: A student opens a course they started and sees its modules in order
      Given a student who has an account with the academy
      And they have signed in
      When they open a course they started
      Then they see its modules in order

    @smoke
    Scenario: The live database has the shape the academy was built for
      Then the live databases have the shape the product was built for
