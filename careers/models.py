# Careers and certifications arrive in step 2; links to programs are declared on this side.
