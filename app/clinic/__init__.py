"""The healthcare clinic: providers sign in with a second factor, open the patients in their
care, record visits and sign prescriptions; every access is kept in a separate audit log."""
