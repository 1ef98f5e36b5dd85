@product.clinic
Feature: The clinic in production answers its providers
  A short check of the deployed clinic, run every six hours and on demand (`make smoke`): it
  signs in as an account named in the settings and opens no patient's record, so it is safe in
  production (the clinic itself records the sign-in: its session, the code's use, its audit
  lines). In every acceptance run the same scenarios run on the suite's own data.

  Rule: The clinic lets a provider in with both factors only, from databases of the shape it was built for

    @smoke
    Scenario: A provider's password alone leads to the second factor
      Given a provider who has an account with the clinic
      When they sign in
      Then the clinic asks for the current code of their authenticator app, and shows no patient

    @smoke
    Scenario: A provider with both factors reaches the patient search
      Given a provider who has an account with the clinic
      And they have signed in
      When they give the current code of their authenticator app
      Then they reach the patient search

    @smoke
    Scenario: The live databases have the shape the clinic was built for
      Then the live databases have the shape the product was built for
