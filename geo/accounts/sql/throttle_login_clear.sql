-- Forget the failures of an account (after a successful login).
DELETE FROM login_failure WHERE kind = 'account' AND key = :account
