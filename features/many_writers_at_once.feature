@product.saas
@spanner.fault_injection
Feature: Many writers at once while Spanner aborts commits
  Spanner may abort a transaction at its commit, and does so the more often the more people
  write the same rows at the same time; the platform then writes again. Here Spanner aborts
  about one commit in 13 at random besides (its emulator's fault injection, which this feature
  always runs with), and many requests on the same rows are released at the same moment, each
  sent the way its own browser or metering client sends it. Every request ends in a success or
  a clear refusal, never a server error, and everything written is there exactly once. The
  report of each scenario shows how many aborted writes the platform retried meanwhile.

  Rule: Of many sign-ups of one domain at the same moment, exactly one makes the tenant, and the others are told the domain is already registered

    @critical
    Scenario: Twelve people sign their company up as "contested.example.com" at the same moment
      Given Spanner aborts commits at random
      When 12 people sign up "contested.example.com" at the same moment, each with an email of their own
      Then one sign-up is taken and the 11 others are told the domain is already registered
      And "contested.example.com" is one tenant, whose only person is the admin of the sign-up taken
      And no request was answered with a server error
      And the platform retried the writes Spanner aborted meanwhile

  Rule: Readings a metering client sends at the same moment are each taken and counted exactly once

    @critical
    Scenario: The metering client of "metered.example.com" sends 40 readings of API calls at the same moment
      Given Spanner aborts commits at random
      When the metering client of "metered.example.com" sends 40 readings of API calls at the same moment, of 1 to 40 calls
      Then every reading is taken
      And billing keeps each of the 40 readings of "metered.example.com" exactly once
      And the usage page of "billing@metered.example.com" shows 820 API calls today
      And no request was answered with a server error
      And the platform retried the writes Spanner aborted meanwhile
