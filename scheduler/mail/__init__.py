"""Agenda e-mails: the letter template, one message per person, the .eml outbox, SMTP sending with a journal."""
