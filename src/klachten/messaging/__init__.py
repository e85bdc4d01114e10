"""Everything that goes to the customer: wording, letters, e-mail, the business card."""
