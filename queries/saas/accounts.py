"""The SQL behind the sign-up and sign-in steps (users database). Every value is a parameter."""

from __future__ import annotations

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, execute, query


def tenant_and_user_counts(db: Database) -> Row:
    return query(
        db,
        "SELECT (SELECT COUNT(*) FROM Tenants) AS Tenants, (SELECT COUNT(*) FROM Users) AS Users",
    )[0]


def signed_up_tenant(db: Database, domain: str) -> list[Row]:
    """The tenant with this domain and its users, with their verification links."""
    return query(
        db,
        """
        SELECT t.Name, t.Status AS TenantStatus, u.Email, u.Role, u.Status AS UserStatus,
               v.CreatedAt AS LinkCreatedAt, v.ExpiresAt AS LinkExpiresAt
        FROM Tenants t
        JOIN Users u ON u.TenantID = t.TenantID
        LEFT JOIN EmailVerifications v ON v.TenantID = u.TenantID AND v.UserID = u.UserID
        WHERE t.Domain = @domain
        """,
        {"domain": domain},
    )


def session_counts(db: Database) -> Row:
    """Every session row of tenant users and of platform operators, expired or not."""
    return query(
        db,
        "SELECT (SELECT COUNT(*) FROM UserSessions) AS UserSessions, "
        "(SELECT COUNT(*) FROM AdminSessions) AS AdminSessions",
    )[0]


# --- accounts and access: verification links, sessions, the setup wizard, what a tenant sees


def age_verification_link(db: Database, email: str, seconds: int) -> int:
    """Moves the user's verification link back in time, as if it had been emailed this many
    seconds earlier (its lifetime stays as sign-up made it)."""
    return execute(
        db,
        """
        UPDATE EmailVerifications v
        SET ExpiresAt = TIMESTAMP_SUB(v.ExpiresAt, INTERVAL @seconds SECOND),
            CreatedAt = TIMESTAMP_SUB(v.CreatedAt, INTERVAL @seconds SECOND)
        WHERE EXISTS (SELECT 1 FROM Users u
                      WHERE u.TenantID = v.TenantID AND u.UserID = v.UserID AND u.Email = @email)
        """,
        {"email": email, "seconds": seconds},
    )


def account_state(db: Database, email: str) -> Row | None:
    """The user's and their tenant's status, and how many session rows the user has."""
    rows = query(
        db,
        """
        SELECT u.TenantID, u.UserID, u.Status AS UserStatus, t.Status AS TenantStatus,
               (SELECT COUNT(*) FROM UserSessions s
                WHERE s.TenantID = u.TenantID AND s.UserID = u.UserID) AS Sessions
        FROM Users u JOIN Tenants t ON t.TenantID = u.TenantID
        WHERE LOWER(u.Email) = LOWER(@email)
        """,
        {"email": email},
    )
    return rows[0] if rows else None


def live_sessions_of(db: Database, email: str) -> int:
    """Unexpired sessions of the person, tenant user or operator, whatever the email's case."""
    return query(
        db,
        """
        SELECT (SELECT COUNT(*) FROM UserSessions s JOIN Users u
                  ON u.TenantID = s.TenantID AND u.UserID = s.UserID
                WHERE LOWER(u.Email) = LOWER(@email) AND s.ExpiresAt > CURRENT_TIMESTAMP())
             + (SELECT COUNT(*) FROM AdminSessions s JOIN PlatformAdmins a
                  ON a.AdminID = s.AdminID
                WHERE LOWER(a.Email) = LOWER(@email) AND s.ExpiresAt > CURRENT_TIMESTAMP())
             AS Sessions
        """,
        {"email": email},
    )[0]["Sessions"]


def expire_session(db: Database, session_id: str) -> int:
    """Lets this one session run out now, as if its lifetime had passed."""
    return execute(
        db,
        """
        UPDATE UserSessions SET ExpiresAt = TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 1 SECOND)
        WHERE SessionID = @session_id
        """,
        {"session_id": session_id},
    )


def start_session(db: Database, email: str, session_id: str) -> int:
    """A session of the user, as the verification link or signing in starts one (8 hours)."""
    return execute(
        db,
        """
        INSERT INTO UserSessions (TenantID, UserID, SessionID, ExpiresAt, CreatedAt)
        SELECT TenantID, UserID, @session_id,
               TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 8 HOUR), CURRENT_TIMESTAMP()
        FROM Users WHERE Email = @email
        """,
        {"email": email, "session_id": session_id},
    )


def set_wizard_step(db: Database, domain: str, step: str) -> int:
    return execute(
        db,
        """
        UPDATE TenantProfiles SET OnboardingStep = @step
        WHERE TenantID = (SELECT TenantID FROM Tenants WHERE Domain = @domain)
        """,
        {"domain": domain, "step": step},
    )


def wizard_state(db: Database, domain: str) -> Row | None:
    """users database: the tenant's status, its wizard step, and its admins' credentials."""
    rows = query(
        db,
        """
        SELECT t.TenantID, t.Status, p.OnboardingStep, p.CompanySize, p.Industry,
               (SELECT COUNT(*) FROM UserCredentials c WHERE c.TenantID = t.TenantID)
                 AS Credentials,
               (SELECT COUNT(*) FROM UserProfiles f WHERE f.TenantID = t.TenantID) AS Profiles
        FROM Tenants t JOIN TenantProfiles p ON p.TenantID = t.TenantID
        WHERE t.Domain = @domain
        """,
        {"domain": domain},
    )
    return rows[0] if rows else None


def password_hash_of(db: Database, email: str) -> str | None:
    rows = query(
        db,
        """
        SELECT c.PasswordHash FROM UserCredentials c
        JOIN Users u ON u.TenantID = c.TenantID AND u.UserID = c.UserID
        WHERE u.Email = @email
        """,
        {"email": email},
    )
    return rows[0]["PasswordHash"] if rows else None


def tenant_of_user(db: Database, email: str) -> Row:
    rows = query(
        db,
        """
        SELECT t.TenantID, t.Name, t.Domain, t.Plan FROM Users u
        JOIN Tenants t ON t.TenantID = u.TenantID WHERE LOWER(u.Email) = LOWER(@email)
        """,
        {"email": email},
    )
    assert rows, f"no user {email} in the users database"
    return rows[0]


def tenant_named(db: Database, name: str) -> Row:
    rows = query(
        db,
        """
        SELECT t.TenantID, t.Name, t.Domain, t.Plan,
               ARRAY(SELECT u.Email FROM Users u WHERE u.TenantID = t.TenantID) AS Emails
        FROM Tenants t WHERE t.Name = @name
        """,
        {"name": name},
    )
    assert rows, f"no tenant named {name} in the users database"
    return rows[0]


def billing_view(db: Database, tenant_id: str) -> Row:
    """billing database: the tenant's active subscription and card on file, as its pages show."""
    return query(
        db,
        """
        SELECT (SELECT p.DisplayName FROM Subscriptions s JOIN Plans p ON p.PlanID = s.Plan
                WHERE s.TenantID = @tenant_id AND s.Status = @active) AS PlanName,
               (SELECT s.NextBillingDate FROM Subscriptions s
                WHERE s.TenantID = @tenant_id AND s.Status = @active) AS NextBillingDate,
               (SELECT m.Last4 FROM PaymentMethods m WHERE m.TenantID = @tenant_id) AS Last4
        """,
        {"tenant_id": tenant_id, "active": "active"},
    )[0]


def usage_readings_of(db: Database, tenant_id: str) -> list[Row]:
    """billing database: today's readings of the tenant (Spanner's today, Los Angeles)."""
    return query(
        db,
        """
        SELECT MetricType, Value FROM UsageMetrics
        WHERE TenantID = @tenant_id AND Period = CURRENT_DATE('America/Los_Angeles')
        """,
        {"tenant_id": tenant_id},
    )


def active_user_emails(db: Database, tenant_id: str) -> list[str]:
    rows = query(
        db,
        "SELECT Email FROM Users WHERE TenantID = @tenant_id AND Status = @active",
        {"tenant_id": tenant_id, "active": "active"},
    )
    return [row["Email"] for row in rows]


def link_state(db: Database, email: str) -> Row | None:
    """The person's and their tenant's status, their used verification links and sessions."""
    rows = query(
        db,
        """
        SELECT u.Status AS UserStatus, t.Status AS TenantStatus,
               (SELECT COUNT(*) FROM EmailVerifications v
                WHERE v.TenantID = u.TenantID AND v.UserID = u.UserID) AS Links,
               (SELECT COUNT(*) FROM EmailVerifications v
                WHERE v.TenantID = u.TenantID AND v.UserID = u.UserID
                  AND v.UsedAt IS NOT NULL) AS UsedLinks,
               (SELECT COUNT(*) FROM UserSessions s
                WHERE s.TenantID = u.TenantID AND s.UserID = u.UserID) AS Sessions
        FROM Users u JOIN Tenants t ON t.TenantID = u.TenantID
        WHERE LOWER(u.Email) = LOWER(@email)
        """,
        {"email": email},
    )
    return rows[0] if rows else None


def tenants_named(db: Database, name: str) -> list[Row]:
    """Tenants of this name, with how many people and verification links each still has."""
    return query(
        db,
        """
        SELECT t.TenantID, t.Domain, t.Status,
               (SELECT COUNT(*) FROM Users u WHERE u.TenantID = t.TenantID) AS People,
               (SELECT COUNT(*) FROM EmailVerifications v WHERE v.TenantID = t.TenantID) AS Links
        FROM Tenants t WHERE t.Name = @name
        """,
        {"name": name},
    )
