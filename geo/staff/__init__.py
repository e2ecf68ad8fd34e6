"""The centre's people and paperwork: forces in the grids and their coverage, the staff
import, the duty roster, the dispute ledger and the safety-creation status."""
