"""The certification app's permission names ("app.codename"), for services, selectors,
staff pages and the admin menu alike. The codenames are the ``Certificate`` model's own
(``Meta.permissions``); the "Certification staff" group holds them (migration 0002)."""

# Revoking and reinstating a certificate; it also lets staff list and inspect certificates.
REVOKE = "certification.revoke_certificate"
# Recording a learner's practical work (co-facilitated meetings, an observed role-play).
SIGNOFF = "certification.signoff_practical"
