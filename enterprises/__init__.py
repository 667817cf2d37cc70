"""The demand side: SMEs, their technology demands, matches, inquiries and deals."""
