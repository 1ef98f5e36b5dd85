@product.saas
Feature: The platform in production answers its customers
  A short check of the deployed platform, run every six hours and on demand (`make smoke`): it
  signs in as an account named in the settings and only reads, so it is safe in production. In
  every acceptance run the same scenarios run on the suite's own data, so they are known to work.

  Rule: The platform answers the public, its customers, and from databases of the shape it was built for

    @smoke
    Scenario: Anyone signing up is offered every plan the platform sells
      When someone opens the sign-up page
      Then they are offered every plan the platform sells

    @smoke
    Scenario: A customer signs in and sees their organisation's dashboard
      Given a customer who has an account with the platform
      When they sign in
      Then they see their organisation's dashboard

    @smoke
    Scenario: The live databases have the shape the platform was built for
      Then the live databases have the shape the product was built for
