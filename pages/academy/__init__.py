"""Page objects of the e-learning academy: courses, module pages with their video, quizzes,
assignment hand-ins and the certificate."""
