"""The pure core of tillit: no Django import anywhere below this package.

Planning engine, assessment scoring and care blocks, staffing arithmetic,
statistical disclosure control, fødselsnummer rules and district geometry.
"""
