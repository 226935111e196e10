"""Organisations in the Wagtail admin, for staff (registered by ``wagtail_hooks``):

- ``organisations``: the listing and the inspect page (the viewset);
- ``actions``: marking a partner, granting seats, refunding unused seats of a purchase;
- ``forms``, ``filters``; ``urls``: every staff page above, in one namespace.

Staff see members' names, emails and roles here, never their learning.
"""
