@product.clinic
@spanner.fault_injection
Feature: A care team recording visits at once while Spanner aborts commits
  Spanner may abort a transaction at its commit, and does so the more often the more people
  write at the same time; the clinic then writes again. Here Spanner aborts about one commit in
  13 at random besides (its emulator's fault injection, which this feature always runs with),
  and every provider of a patient's care team, each signed in with both factors in a browser of
  their own, saves a new visit of that patient at the same moment. Each visit writes its audit
  entry, its record, and then settles the entry: three writes in two databases. Every visit is
  recorded exactly once, with its audit entry exactly once, and no provider gets a server
  error. The report shows how many aborted writes the clinic retried meanwhile.

  Rule: Visits of one patient saved at the same moment are each recorded once, and each one's creation is audited once

    @critical
    Scenario: John Patient's care team of twelve each save a visit at the same moment
      Given Spanner aborts commits at random
      When the 12 providers of John Patient's care team each save a new visit of John Patient at the same moment
      Then each provider is shown the page of the visit they saved
      And John Patient has each of those 12 visits exactly once, by the provider who saved it
      And each of those visits' creation is audited exactly once, and completed
      And no request was answered with a server error
      And the clinic retried the writes Spanner aborted meanwhile
