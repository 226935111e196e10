"""The words allauth and Django show on our sign-in, sign-up, password reset and sign-in
code pages (and in their emails), listed so that ``make messages`` collects them into our
catalogue: their own Spanish says "usted", ours says "tú" as everywhere else, and ours is
searched first (LOCALE_PATHS). Nothing reads these names; the lines only mark the strings.
"""
from django.utils.translation import gettext_noop, ngettext_lazy

LIBRARY_STRINGS = (
    gettext_noop('The email address and/or password you specified are not correct.'),
    gettext_noop('Please type your current password.'),
    gettext_noop('Your primary email address must be verified.'),
    gettext_noop('Use your password'),
    gettext_noop('Forgot your password?'),
    gettext_noop('Enter Sign-In Code'),
    gettext_noop('Your email has been confirmed.'),
    gettext_noop('Please Confirm Your Email Address'),
    gettext_noop('Your sign-in code is listed below. Please enter it in your open browser window.'),
    gettext_noop('This mail can be safely ignored if you did not initiate this action.'),
    gettext_noop('Your password reset code is listed below. Please enter it in your open browser window.'),
    gettext_noop("You're receiving this email because you or someone else has requested a password reset for your user account.\nIt can be safely ignored if you did not request a password reset. Click the link below to reset your password."),
    gettext_noop('In case you forgot, your username is %(username)s.'),
    gettext_noop('Your password has been reset.'),
    gettext_noop('Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for user %(user_display)s.'),
    gettext_noop('This email confirmation link expired or is invalid. Please <a href="%(email_url)s">issue a new email confirmation request</a>.'),
    gettext_noop('If you have not created an account yet, then please %(link)ssign up%(end_link)s first.'),
    gettext_noop('You have confirmed %(email)s.'),
    gettext_noop('A sign-in code has been sent to %(recipient)s.'),
    gettext_noop("Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it."),
    gettext_noop('Please contact us if you have any trouble resetting your password.'),
    gettext_noop('We have sent you an email. If you have not received it please check your spam folder. Otherwise contact us if you do not receive it in a few minutes.'),
    gettext_noop('The password reset link was invalid, possibly because it has already been used.  Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'),
    gettext_noop('Your password is now changed.'),
    gettext_noop('You will receive a special code for a password-free sign-in.'),
    gettext_noop('Request Code'),
    gettext_noop('Already have an account? Then please %(link)ssign in%(end_link)s.'),
    gettext_noop('Verify Your Email Address'),
    gettext_noop('We have sent an email to you for verification. Follow the link provided to finalize the signup process. If you do not see the verification email in your main inbox, check your spam folder. Please contact us if you do not receive the verification email within a few minutes.'),
    gettext_noop('Your password can’t be too similar to your other personal information.'),
    gettext_noop('Your password can’t be a commonly used password.'),
    gettext_noop('Your password can’t be entirely numeric.'),
)

LIBRARY_PLURALS = (
    ngettext_lazy('Your password must contain at least %(min_length)d character.', 'Your password must contain at least %(min_length)d characters.', 'min_length'),
)
