import { useEffect, useState, type ReactNode } from 'react';
import { adultRelationships, contactPreferences, genders } from '../../../shared/contracts/journey.ts';
import { Checkboxes, DateInput, Radios, SelectField, TextArea, TextField } from '../../components/form.tsx';
import type { FormProblems } from '../../lib/form-problems.ts';
import {
  contactPreferenceLabels,
  courtLabels,
  emptyAdult,
  emptyChild,
  genderLabels,
  MAX_ADULTS,
  MAX_CHILDREN,
  NOT_SURE,
  relationshipLabels,
  type AdultValues,
  type Audience,
  type ChildValues,
  type ReferralValues,
  type YesNo,
} from './referral-values.ts';

const yesNoOptions = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
];

/** A part of the form: a fieldset whose legend is also the section's heading. */
const Section = ({ title, hint, children }: { title: string; hint?: ReactNode; children: ReactNode }) => (
  <fieldset className="govuk-fieldset govuk-!-margin-bottom-6">
    <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
      <h2 className="govuk-fieldset__heading">{title}</h2>
    </legend>
    {hint ? <p className="govuk-body">{hint}</p> : null}
    {children}
  </fieldset>
);

/** A person within a section (adult 2, child 1), marked off so a long form stays readable on a phone. */
const PersonBlock = ({ legend, children }: { legend: string; children: ReactNode }) => (
  <fieldset className="govuk-fieldset tandem-person-block">
    <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
      <h3 className="govuk-fieldset__heading">{legend}</h3>
    </legend>
    {children}
  </fieldset>
);

type Props = {
  values: ReferralValues;
  onChange: (update: (previous: ReferralValues) => ReferralValues) => void;
  problems: FormProblems;
  audience: Audience;
  programmes: { id: string; name: string; description: string }[];
};

/** Every question of a referral, shared by the public form and the staff's entry of an agency referral. */
export const ReferralFields = ({ values, onChange, problems, audience, programmes }: Props) => {
  const you = audience === 'public';
  const error = (key: string): string | undefined => problems.fields[key];
  // After "add another", put the keyboard in the new person's first box so nobody has to hunt for it.
  const [focusId, setFocusId] = useState<string | null>(null);
  useEffect(() => {
    if (!focusId) return;
    document.getElementById(focusId)?.focus();
    setFocusId(null);
  }, [focusId]);

  const setReferrer = (field: keyof ReferralValues['referrer']) => (value: string) =>
    onChange((previous) => ({ ...previous, referrer: { ...previous.referrer, [field]: value } }));
  const setAdult = <K extends keyof AdultValues>(index: number, field: K, value: AdultValues[K]) =>
    onChange((previous) => ({ ...previous, parents: previous.parents.map((adult, i) => (i === index ? { ...adult, [field]: value } : adult)) }));
  const setChild = <K extends keyof ChildValues>(index: number, field: K, value: ChildValues[K]) =>
    onChange((previous) => ({ ...previous, children: previous.children.map((child, i) => (i === index ? { ...child, [field]: value } : child)) }));

  const addAdult = () => {
    onChange((previous) => ({ ...previous, parents: [...previous.parents, emptyAdult()] }));
    setFocusId(`referral-parents-${values.parents.length}-givenName`);
  };
  const removeAdult = (index: number) => {
    onChange((previous) => ({ ...previous, parents: previous.parents.filter((_, i) => i !== index) }));
    setFocusId('add-adult');
  };
  const addChild = () => {
    onChange((previous) => ({ ...previous, children: [...previous.children, emptyChild()] }));
    setFocusId(`referral-children-${values.children.length}-givenName`);
  };
  const removeChild = (index: number) => {
    onChange((previous) => ({ ...previous, children: previous.children.filter((_, i) => i !== index) }));
    setFocusId('add-child');
  };

  const professionalFields = (
    <>
      <TextField
        id="referral-referrer-agency"
        label={you ? 'Your agency or organisation' : 'Referring agency'}
        hint="For example, the local authority children’s services or a children’s centre"
        value={values.referrer.agency}
        onChange={setReferrer('agency')}
        error={error('referrer.agency')}
        autoComplete="organization"
      />
      <TextField
        id="referral-referrer-role"
        label={you ? 'Your role (optional)' : 'Referrer’s role (optional)'}
        hint="For example, social worker or health visitor"
        value={values.referrer.role}
        onChange={setReferrer('role')}
        error={error('referrer.role')}
        autoComplete="organization-title"
      />
    </>
  );

  return (
    <>
      <Section title={you ? 'About you' : 'The referrer'}>
        <Radios
          id="referral-referrer-kind"
          name="referral-referrer-kind"
          legend={you ? 'Who are you?' : 'Who made the referral?'}
          legendSize="s"
          options={[
            { value: 'self', label: you ? 'A parent or carer, referring my own family' : 'The family themselves (self-referral)' },
            { value: 'professional', label: you ? 'A professional, referring a family I work with' : 'A professional or agency' },
          ]}
          value={values.referrer.kind}
          onChange={setReferrer('kind')}
          error={error('referrer.kind')}
          conditional={{ professional: professionalFields }}
        />
        <TextField
          id="referral-referrer-name"
          label={you ? 'Your full name' : 'Referrer’s full name'}
          value={values.referrer.name}
          onChange={setReferrer('name')}
          error={error('referrer.name')}
          autoComplete={you ? 'name' : 'off'}
          spellCheck={false}
        />
        <TextField
          id="referral-referrer-email"
          label={you ? 'Your email address' : 'Referrer’s email address'}
          hint="Give an email address, a phone number or both, so the team can reply"
          type="email"
          value={values.referrer.email}
          onChange={setReferrer('email')}
          error={error('referrer.email')}
          autoComplete={you ? 'email' : 'off'}
          spellCheck={false}
        />
        <TextField
          id="referral-referrer-phone"
          label={you ? 'Your phone number' : 'Referrer’s phone number'}
          type="tel"
          value={values.referrer.phone}
          onChange={setReferrer('phone')}
          error={error('referrer.phone')}
          autoComplete={you ? 'tel' : 'off'}
          width="20"
        />
      </Section>

      <Section title="The programme">
        {programmes.length === 0 ? (
          <p className="govuk-body">The team will suggest the right service when they read the referral.</p>
        ) : (
          <Radios
            id="referral-programmeId"
            name="referral-programmeId"
            legend="Which programme is the referral for? (optional)"
            legendSize="s"
            hint="If you are not sure, the team will suggest the right one."
            options={[
              ...programmes.map((programme) => ({ value: programme.id, label: programme.name, hint: programme.description })),
              { value: NOT_SURE, label: 'Not sure' },
            ]}
            value={values.programmeId}
            onChange={(value) => onChange((previous) => ({ ...previous, programmeId: value }))}
            error={error('programmeId')}
          />
        )}
      </Section>

      <Section title="Parents and co-parents" hint="Give both parents or co-parents if you can, whether or not they live together.">
        {values.parents.map((adult, index) => {
          const key = (leaf: string) => `parents.${index}.${leaf}`;
          const id = (leaf: string) => `referral-parents-${index}-${leaf}`;
          return (
            <PersonBlock key={index} legend={`Adult ${index + 1}`}>
              <TextField
                id={id('givenName')}
                label="First name"
                value={adult.givenName}
                onChange={(value) => setAdult(index, 'givenName', value)}
                error={error(key('givenName'))}
                autoComplete="off"
                spellCheck={false}
              />
              <TextField
                id={id('familyName')}
                label="Last name"
                value={adult.familyName}
                onChange={(value) => setAdult(index, 'familyName', value)}
                error={error(key('familyName'))}
                autoComplete="off"
                spellCheck={false}
              />
              <DateInput
                id={id('dateOfBirth')}
                legend="Date of birth (optional)"
                hint="For example, 27 3 1990"
                value={adult.dateOfBirth}
                onChange={(value) => setAdult(index, 'dateOfBirth', value)}
                error={error(key('dateOfBirth'))}
              />
              <Radios
                id={id('gender')}
                name={id('gender')}
                legend="Gender (optional)"
                legendSize="s"
                options={genders.map((gender) => ({ value: gender, label: genderLabels[gender] }))}
                value={adult.gender}
                onChange={(value) => setAdult(index, 'gender', value)}
                error={error(key('gender'))}
              />
              <SelectField
                id={id('relationship')}
                label="Relationship to the children"
                options={[
                  { value: '', label: 'Select a relationship' },
                  ...adultRelationships.map((relationship) => ({ value: relationship, label: relationshipLabels[relationship] })),
                ]}
                value={adult.relationship}
                onChange={(value) => setAdult(index, 'relationship', value)}
                error={error(key('relationship'))}
              />
              <TextField
                id={id('email')}
                label="Email address (optional)"
                type="email"
                value={adult.email}
                onChange={(value) => setAdult(index, 'email', value)}
                error={error(key('email'))}
                autoComplete="off"
                spellCheck={false}
              />
              <TextField
                id={id('phone')}
                label="Phone number (optional)"
                type="tel"
                value={adult.phone}
                onChange={(value) => setAdult(index, 'phone', value)}
                error={error(key('phone'))}
                autoComplete="off"
                width="20"
              />
              <Radios
                id={id('willingToAttend')}
                name={id('willingToAttend')}
                legend="Willing to attend?"
                legendSize="s"
                hint="Most programmes ask both parents to take part."
                inline
                options={yesNoOptions}
                value={adult.willingToAttend}
                onChange={(value) => setAdult(index, 'willingToAttend', value as YesNo)}
                error={error(key('willingToAttend'))}
              />
              {index > 0 ? (
                <button type="button" className="govuk-button govuk-button--secondary" onClick={() => removeAdult(index)}>
                  Remove adult {index + 1}
                </button>
              ) : null}
            </PersonBlock>
          );
        })}
        {values.parents.length < MAX_ADULTS ? (
          <button type="button" id="add-adult" className="govuk-button govuk-button--secondary" onClick={addAdult}>
            Add another adult
          </button>
        ) : (
          <p className="govuk-body" id="add-adult" tabIndex={-1}>
            You can give up to {MAX_ADULTS} adults.
          </p>
        )}
      </Section>

      <Section title="Children">
        {values.children.map((child, index) => {
          const key = (leaf: string) => `children.${index}.${leaf}`;
          const id = (leaf: string) => `referral-children-${index}-${leaf}`;
          return (
            <PersonBlock key={index} legend={`Child ${index + 1}`}>
              <TextField
                id={id('givenName')}
                label="First name"
                value={child.givenName}
                onChange={(value) => setChild(index, 'givenName', value)}
                error={error(key('givenName'))}
                autoComplete="off"
                spellCheck={false}
              />
              <TextField
                id={id('familyName')}
                label="Last name"
                value={child.familyName}
                onChange={(value) => setChild(index, 'familyName', value)}
                error={error(key('familyName'))}
                autoComplete="off"
                spellCheck={false}
              />
              <DateInput
                id={id('dateOfBirth')}
                legend="Date of birth"
                hint="For example, 27 3 2019"
                value={child.dateOfBirth}
                onChange={(value) => setChild(index, 'dateOfBirth', value)}
                error={error(key('dateOfBirth'))}
              />
              {index > 0 ? (
                <button type="button" className="govuk-button govuk-button--secondary" onClick={() => removeChild(index)}>
                  Remove child {index + 1}
                </button>
              ) : null}
            </PersonBlock>
          );
        })}
        {values.children.length < MAX_CHILDREN ? (
          <button type="button" id="add-child" className="govuk-button govuk-button--secondary" onClick={addChild}>
            Add another child
          </button>
        ) : (
          <p className="govuk-body" id="add-child" tabIndex={-1}>
            You can give up to {MAX_CHILDREN} children.
          </p>
        )}
      </Section>

      <Section title="The reason for the referral">
        <TextArea
          id="referral-reason"
          label={you ? 'What would you like help with?' : 'Why is the family being referred?'}
          hint="For example, arguments in front of the children, or difficulty agreeing about them after separating."
          value={values.reason}
          onChange={(value) => onChange((previous) => ({ ...previous, reason: value }))}
          error={error('reason')}
          maxLength={4000}
        />
      </Section>

      <Section title="Circumstances">
        <Radios
          id="referral-circumstances-activeCourtProceedings"
          name="referral-circumstances-activeCourtProceedings"
          legend="Are there court proceedings about the children at the moment?"
          legendSize="s"
          inline
          options={(['yes', 'no', 'unknown'] as const).map((value) => ({ value, label: courtLabels[value] }))}
          value={values.circumstances.activeCourtProceedings}
          onChange={(value) => onChange((previous) => ({ ...previous, circumstances: { ...previous.circumstances, activeCourtProceedings: value } }))}
          error={error('circumstances.activeCourtProceedings')}
        />
        <Radios
          id="referral-circumstances-adoptiveFamily"
          name="referral-circumstances-adoptiveFamily"
          legend="Is this an adoptive family?"
          legendSize="s"
          inline
          options={yesNoOptions}
          value={values.circumstances.adoptiveFamily}
          onChange={(value) => onChange((previous) => ({ ...previous, circumstances: { ...previous.circumstances, adoptiveFamily: value as YesNo } }))}
          error={error('circumstances.adoptiveFamily')}
        />
      </Section>

      <Section title="Consent">
        <Checkboxes
          id="referral-consent-toReferral"
          legend="Does the family agree to this referral?"
          legendSize="s"
          hint="We can only accept a referral that the family knows about and agrees to."
          items={[
            {
              id: 'referral-consent-toReferral',
              label: 'The family agrees to this referral',
              checked: values.consent.toReferral,
              onChange: (checked) => onChange((previous) => ({ ...previous, consent: { ...previous.consent, toReferral: checked } })),
            },
          ]}
          error={error('consent.toReferral')}
        />
        <Radios
          id="referral-consent-toShareInformation"
          name="referral-consent-toShareInformation"
          legend="Does the family agree to information being shared with other services involved with them?"
          legendSize="s"
          inline
          options={yesNoOptions}
          value={values.consent.toShareInformation}
          onChange={(value) => onChange((previous) => ({ ...previous, consent: { ...previous.consent, toShareInformation: value as YesNo } }))}
          error={error('consent.toShareInformation')}
        />
      </Section>

      <Section title="Contacting the family">
        <Radios
          id="referral-contact-preference"
          name="referral-contact-preference"
          legend="How would the family like to be contacted?"
          legendSize="s"
          options={contactPreferences.map((preference) => ({ value: preference, label: contactPreferenceLabels[preference] }))}
          value={values.contact.preference}
          onChange={(value) => onChange((previous) => ({ ...previous, contact: { ...previous.contact, preference: value } }))}
          error={error('contact.preference')}
        />
        <TextArea
          id="referral-contact-safeTimes"
          label="When is it safe to contact them? (optional)"
          hint="For example, weekdays after 10am, or not when their partner is at home."
          rows={3}
          value={values.contact.safeTimes}
          onChange={(value) => onChange((previous) => ({ ...previous, contact: { ...previous.contact, safeTimes: value } }))}
          error={error('contact.safeTimes')}
          maxLength={500}
        />
        <Radios
          id="referral-contact-safeToLeaveMessage"
          name="referral-contact-safeToLeaveMessage"
          legend="Is it safe to leave a message?"
          legendSize="s"
          inline
          options={yesNoOptions}
          value={values.contact.safeToLeaveMessage}
          onChange={(value) => onChange((previous) => ({ ...previous, contact: { ...previous.contact, safeToLeaveMessage: value as YesNo } }))}
          error={error('contact.safeToLeaveMessage')}
        />
      </Section>
    </>
  );
};
