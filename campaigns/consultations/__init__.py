"""Government consultations and the joint responses written to them."""
