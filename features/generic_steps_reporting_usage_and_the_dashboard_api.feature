@product.saas
Feature: Reporting usage and reading the dashboard through the platform's API
  Written only with the suite's generic steps (API, browser and database), with no Python of
  its own.

  A tenant's metering client reports usage with the tenant's API key; billing keeps each
  reading. A revoked key, or the key of a suspended tenant, reports nothing. A signed-in
  person reads their dashboard through the API, with the plan billing charges for, and nobody
  else does; a change of their display name must carry an idempotency key, the name alone and a
  valid one, or it is refused, saying what is wrong, and nothing changes.

  Rule: A metering client reports usage with its tenant's key, and billing keeps each reading

    @critical
    Scenario: Fabrikam's metering client reports 250 API calls
      Given I call the API with the key of "fabrikam.example.com"
      When I send a POST request to "/api/v1/tenants/tenant-fabrikam-001/usage" with:
        """
        {"metric_type": "api_calls", "value": 250}
        """
      Then the response status is 201
      And the response has:
        | field     | value    |
        | metric_id | not null |
      When I remember the response's "metric_id" as {metric}
      Then the billing database has 1 row in "UsageMetrics" where MetricID is "{metric}" and Value is "250"
      When the billing database is asked:
        """
        SELECT MetricType, Value FROM UsageMetrics WHERE MetricID = @metric
        """
      Then the answer is:
        | MetricType | Value |
        | api_calls  | 250   |
      And the billing database table "UsageMetrics" contains:
        | MetricID | TenantID            | MetricType | Value | RecordedAt             |
        | {metric} | tenant-fabrikam-001 | api_calls  | 250   | within 1 minute of now |
      And the billing database matches "after_one_report.yaml"

    @normal
    Scenario: A second reading of the day adds to the first
      Given the billing database also has these "UsageMetrics" rows:
        | TenantID            | Period | MetricType | MetricID        | Value | RecordedAt | CreatedAt |
        | tenant-fabrikam-001 | today  | api_calls  | m-fabrikam-0900 | 1000  | now-1m     | now-1m    |
      And I call the API with the key of "fabrikam.example.com"
      When I send a POST request to "/api/v1/tenants/tenant-fabrikam-001/usage" with:
        """
        {"metric_type": "api_calls", "value": 250}
        """
      Then the response status is 201
      When the billing database is asked:
        """
        SELECT COUNT(*) AS Readings, SUM(Value) AS Calls FROM UsageMetrics
        WHERE TenantID = 'tenant-fabrikam-001' AND MetricType = 'api_calls'
        """
      Then the answer is:
        | Readings | Calls |
        | 2        | 1250  |
      And the billing database table "UsageMetrics" contains exactly:
        | TenantID            | MetricType | Value |
        | tenant-fabrikam-001 | api_calls  | 1000  |
        | tenant-fabrikam-001 | api_calls  | 250   |
      And the billing database has 2 rows in "UsageMetrics"
      And the billing database has 2 rows in "UsageMetrics" where TenantID is "tenant-fabrikam-001" and Value is "> 100"

  Rule: A revoked key, or the key of a suspended tenant, reports nothing

    @critical
    Scenario: Fabrikam's revoked key is refused
      Given I call the API with the key of "fabrikam.example.com revoked"
      When I send a POST request to "/api/v1/tenants/tenant-fabrikam-001/usage" with:
        """
        {"metric_type": "api_calls", "value": 250}
        """
      Then the response status is 401
      And the response has:
        | field | value                      |
        | error | unknown or revoked API key |
      And the billing database has no rows in "UsageMetrics" where TenantID is "tenant-fabrikam-001"

    @critical
    Scenario: Once Fabrikam is suspended, its valid key reports nothing
      When the users database is changed by:
        """
        UPDATE Tenants SET Status = 'suspended' WHERE Domain = 'fabrikam.example.com'
        """
      Then 1 row was changed
      Given I call the API with the key of "fabrikam.example.com"
      When I send a POST request to "/api/v1/tenants/tenant-fabrikam-001/usage" with:
        """
        {"metric_type": "active_users", "value": 12}
        """
      Then the response status is 403
      And the response has:
        | field | value                    |
        | error | this tenant is suspended |
      And the billing database table "UsageMetrics" does not contain:
        | TenantID            | MetricType   |
        | tenant-fabrikam-001 | active_users |

    @normal
    Scenario: Once Fabrikam's keys are deleted, its metering client reports nothing
      When the users database is changed by:
        """
        DELETE FROM ApiKeys WHERE TenantID = 'tenant-fabrikam-001'
        """
      Then 2 rows were changed
      Given I call the API with the key of "fabrikam.example.com"
      When I send a POST request to "/api/v1/tenants/tenant-fabrikam-001/usage" with:
        """
        {"metric_type": "storage_gb", "value": 3}
        """
      Then the response status is 401
      And the billing database has no rows in "UsageMetrics"

  Rule: Only a signed-in person reads a dashboard through the API

    @critical
    Scenario: Without signing in, the dashboard API answers that nobody is signed in
      When I send a GET request to "/api/dashboard"
      Then the response status is 401
      And the response has:
        | field | value          |
        | error | Not signed in. |

  Rule: The dashboard shows the plan billing charges for, and corrects the tenant's record to it

    @critical
    Scenario: Fiona's dashboard shows Professional, the plan billing charges Fabrikam for
      Given I call the API as "owner@fabrikam.example.com"
      When I send a GET request to "/api/dashboard"
      Then the response status is 200
      And the response has:
        | field         | value                      |
        | tenant.name   | Fabrikam                   |
        | plan.name     | Professional               |
        | profile.email | owner@fabrikam.example.com |
        | profile.role  | admin                      |
      And the users database has 1 row in "Tenants" where Domain is "fabrikam.example.com" and Plan is "professional"
      And the billing database has 1 row in "Subscriptions"

  Rule: A change of display name without an idempotency key is refused, and nothing changes

    @normal
    Scenario: Fiona's name change sent without an idempotency key changes nothing
      Given I call the API as "owner@fabrikam.example.com"
      When I send a PATCH request to "/api/profile" with:
        """
        {"display_name": "Fi"}
        """
      Then the response status is 400
      And the response has:
        | field | value                                                                         |
        | error | The Idempotency-Key header is required: a UUID made when the change was made. |
      And the users database table "UserProfiles" contains:
        | UserID              | FirstName | DisplayName |
        | user-fabrikam-owner | Fiona     | null        |
      And the users database has no rows in "ProfileChanges"
      When the users database is asked:
        """
        SELECT IdempotencyKey FROM IdempotencyKeys WHERE UserID = 'user-fabrikam-owner'
        """
      Then the answer has no rows

  Rule: A change of display name carries the name alone and a valid one, or it is refused, naming what is wrong, and nothing changes

    @normal
    Scenario: Fiona's display name of spaces only is refused, naming the field
      Given I call the API as "owner@fabrikam.example.com"
      When I send a PATCH request to "/api/profile" with:
        """
        {"display_name": "   "}
        """
      Then the response status is 400
      And the response has:
        | field | value                 |
        | error | Enter a display name. |
        | field | display_name          |
      And the users database has no rows in "ProfileChanges"

    @critical
    Scenario Outline: Fiona's change that is <what> is refused, and nothing changes
      Given I call the API as "owner@fabrikam.example.com"
      When I send a PATCH request to "/api/profile" with:
        """
        <body>
        """
      Then the response status is 400
      And the response has:
        | field | value                                     |
        | error | The body must be {"display_name": "..."}. |
      And the users database table "UserProfiles" contains:
        | UserID              | FirstName | DisplayName |
        | user-fabrikam-owner | Fiona     | null        |
      And the users database has no rows in "ProfileChanges"

      Examples:
        | what                                  | body                                     |
        | her display name and a role to take   | {"display_name": "Fi", "role": "owner"} |
        | a list holding the word display_name  | ["display_name"]                         |
