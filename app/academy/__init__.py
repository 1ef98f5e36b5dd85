"""The e-learning academy: courses module by module, quizzes, an assignment, a certificate."""
