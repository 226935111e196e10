"""The learner's own CE pages: their professional licence and their CE transcript."""
