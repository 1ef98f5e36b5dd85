"""Page objects of the healthcare clinic: the second factor, the patient search and a patient's
record, visits, prescriptions and their signing page."""
