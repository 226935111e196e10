"""The courses app's background jobs, its assessments' included (see ``kernel/jobs.py``)."""
from kernel.jobs import Job

refresh_course_enrollments = Job("courses.tasks.course_refresh_enrollments_task")
course_completed_email = Job("courses.tasks.course_completed_email_task")
grade_attempt = Job("courses.assessment.tasks.attempt_grade_task")
attempt_result_email = Job("courses.assessment.tasks.attempt_result_email_task")
regrade_quiz = Job("courses.assessment.tasks.quiz_regrade_task")
