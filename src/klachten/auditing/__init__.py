"""The auditor's view (#16 item 4): sampled dossiers without personal data, every read logged."""
